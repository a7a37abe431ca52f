package cli

import "github.com/spf13/cobra"

func newCmdMask(app *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "mask",
		Short: "Compare infotool mask exports (.mdl)",
		Long: `Work with infotool mask exports (infotool maskexport file=maskexport.mdl):
the record definitions of an Xpressions database, including the customer's
CUSTOM fields that an upgrade must carry over by hand.`,
		Example: "  xdm mask diff old/maskexport.mdl new/maskexport.mdl",
	}
	cmd.AddCommand(newCmdMaskDiff(app, nil))
	return cmd
}
