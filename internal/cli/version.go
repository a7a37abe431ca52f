package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// Set at build time: go build -ldflags "-X github.com/xdm-migrate/xdm/internal/cli.version=v1.2.3 -X ...commit=abc".
var (
	version = ""
	commit  = ""
)

// buildVersion returns the version and commit, falling back to what the Go
// toolchain recorded (module version, VCS revision) when -ldflags set nothing.
func buildVersion() (ver, rev string) {
	ver, rev = version, commit
	info, ok := debug.ReadBuildInfo()
	if ver == "" {
		ver = "(devel)"
		if ok && info.Main.Version != "" {
			ver = info.Main.Version
		}
	}
	if rev == "" && ok {
		modified := false
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		if rev != "" && modified {
			rev += "-dirty"
		}
	}
	if rev == "" {
		rev = "unknown"
	}
	return ver, rev
}

func newCmdVersion(app *App) *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print xdm's version, commit and Go version",
		Example: "  xdm version",
		Args:    exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			ver, rev := buildVersion()
			fmt.Fprintf(app.IO.Out, "xdm %s\ncommit %s\n%s %s/%s\n", ver, rev, runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return nil
		},
	}
}
