package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	"github.com/xdm-migrate/xdm/position"
	"github.com/xdm-migrate/xdm/registry"
)

func newCmdReg(app *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "reg",
		Short: "Read, compare and rewrite registry files (.reg) byte-safely",
		Long: `Commands for Windows registry files (.reg), the files regedit exports and
imports: "Windows Registry Editor Version 5.00" (Unicode, UTF-16LE) and
"REGEDIT4" (ANSI). They replace the manual edits of the XPR upgrade: the
satellites' <hostname>.reg moved to Wow6432Node, the cluster's host names,
the comparison of exports, and single settings typed into regedit.

Every file is checked against the format as regedit reads it; the first line
that does not fit stops the command (exit 3) with file:line:column and what
was expected. A rewritten file keeps its encoding, byte-order mark, line ends
and every byte that is not meant to change; in place, the original is kept as
FILE.orig. The format is described in docs/reg-format.md.`,
		Example: `  xdm reg show xpr.reg --key "HKLM\SOFTWARE\Wow6432Node\PP-COM\MRS\MRS Globals"
  xdm reg diff "before\xpr.reg" "after\xpr.reg" --fold-wow64
  xdm reg wow64 SATELLITE1.reg
  xdm reg rename-host node1.reg --from NODE1 --to XPRCLUSTER --drop-line-of NODE1
  xdm reg set disable-user-tos -o tos.reg`,
	}
	cmd.AddCommand(
		newCmdRegShow(app, nil),
		newCmdRegDiff(app, nil),
		newCmdRegWow64(app, nil),
		newCmdRegRenameHost(app, nil),
		newCmdRegSet(app, nil),
	)
	return cmd
}

// regError maps the error of a registry command to its exit code. A file
// that does not fit the format is exit 3 (its *position.Error printed as
// it is); wrong names in the options and existing outputs are usage errors.
// rewrites adds that nothing was written.
func regError(err error, rewrites bool) error {
	var pe *position.Error
	switch {
	case err == nil, errors.Is(err, context.Canceled):
		return err
	case errors.As(err, &pe):
		if rewrites {
			return exitWith(ExitInvalid, fmt.Errorf("%w\nnothing was written", err))
		}
		return exitWith(ExitInvalid, err)
	case errors.Is(err, fs.ErrExist), errors.Is(err, registry.ErrKeyPath), errors.Is(err, registry.ErrHostName),
		errors.Is(err, registry.ErrForbiddenName), errors.Is(err, registry.ErrSetting):
		return exitWith(ExitUsage, err)
	default:
		return exitWith(ExitFailure, err)
	}
}

// regInput checks that path is a file to read and returns its size.
func regInput(path string) (int64, error) {
	st, err := os.Stat(path)
	if err != nil {
		return 0, exitWith(ExitFailure, err)
	}
	if st.IsDir() {
		return 0, usageErrorf("%s is a folder; give a .reg file", path)
	}
	return st.Size(), nil
}

// valueName shows a value's name: quoted, or (Default) as regedit shows the
// default value.
func valueName(name string) string {
	if name == "" {
		return "(Default)"
	}
	return registry.Quote(name)
}

// count writes n with a noun, plural when n is not 1: "1 key", "5 keys".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
