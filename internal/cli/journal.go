package cli

import "github.com/spf13/cobra"

func newCmdJournal(app *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "journal",
		Short: "Work on XPR journal exports (infotool export rec=JOURNAL)",
		Long: `Commands for the journal export of an OpenScape Xpressions server, the file
written by "infotool export rec=JOURNAL file=journal.txt" and read back by
"infotool import rec=JOURNAL file=journal.txt".`,
		Example: "  xdm journal fix journal.txt",
	}
	cmd.AddCommand(newCmdJournalFix(app, nil))
	return cmd
}
