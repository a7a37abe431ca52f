package cli

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/xdm-migrate/xdm/internal/secret"
)

func newCmdConfig(app *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "config",
		Short:   "Inspect xdm's settings",
		Example: "  xdm config show",
	}
	cmd.AddCommand(newCmdConfigShow(app))
	return cmd
}

// setting is one effective setting as "config show" prints it.
type setting struct {
	Key    string `json:"key"`
	Env    string `json:"env"`
	Value  string `json:"value"`
	Source string `json:"source"` // default, env, config
}

func newCmdConfigShow(app *App) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show",
		Short: "Print the effective settings, with passwords masked",
		Long: `Print every setting xdm knows, its environment variable, its effective
value and where that value comes from (default, env, config). Passwords and the
passwords inside DSNs are masked.

A setting's key is the command path and flag name joined by dots
(journal.fix.workers); in the config file it is nested YAML, in the
environment XDM_ followed by the key in capitals with dots and dashes as
underscores (XDM_JOURNAL_FIX_WORKERS). Shared settings have short keys:
pg.dsn (XDM_PG_DSN), mssql.dsn (XDM_MSSQL_DSN), mssql.password (XDM_MSSQL_PASSWORD).`,
		Example: `  xdm config show
  XDM_PG_DSN=postgres://xpr@db/mrsdb xdm config show --json

  # Windows cmd:
  set "XDM_PG_DSN=postgres://xpr@db/mrsdb"
  xdm config show --json
  # Windows PowerShell:
  $env:XDM_PG_DSN = 'postgres://xpr@db/mrsdb'
  xdm config show --json`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			settings := app.effectiveSettings(cmd.Root())
			if asJSON {
				return writeJSON(app.IO.Out, map[string]any{"config_file": app.usedConfig, "settings": settings})
			}
			if app.usedConfig != "" {
				fmt.Fprintf(app.IO.Out, "# config file: %s\n", app.usedConfig)
			} else {
				fmt.Fprintln(app.IO.Out, "# no config file")
			}
			tw := tabwriter.NewWriter(app.IO.Out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "KEY\tVALUE\tSOURCE\tENV")
			for _, s := range settings {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", s.Key, s.Value, s.Source, s.Env)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the settings as JSON")
	return cmd
}

// effectiveSettings walks every command under root and returns each flag's
// setting once, sorted by key.
func (a *App) effectiveSettings(root *cobra.Command) []setting {
	seen := map[string]setting{}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		visit := func(f *pflag.Flag) {
			if f.Name == "help" || f.Name == "config" {
				return
			}
			key := configKey(c, f)
			if _, done := seen[key]; done {
				return
			}
			seen[key] = a.settingOf(key, f)
		}
		c.LocalFlags().VisitAll(visit)
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	out := make([]setting, 0, len(seen))
	for _, s := range seen {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

func (a *App) settingOf(key string, f *pflag.Flag) setting {
	s := setting{Key: key, Env: envName(key), Value: f.DefValue, Source: "default"}
	if _, ok := os.LookupEnv(s.Env); ok {
		s.Value, s.Source = strings.Join(configValues(a.config.Get(key)), ","), "env"
	} else if a.config.InConfig(key) {
		s.Value, s.Source = strings.Join(configValues(a.config.Get(key)), ","), "config"
	}
	return maskSetting(s)
}

func maskSetting(s setting) setting {
	switch {
	case s.Value == "" || s.Value == "[]":
	case secret.IsSecretKey(s.Key):
		s.Value = secret.Mask
	case isDSNSetting(s.Key):
		s.Value = secret.RedactDSN(s.Value)
	}
	return s
}

// isDSNSetting reports whether a setting holds a connection string.
func isDSNSetting(key string) bool { return strings.Contains(strings.ToLower(key), "dsn") }

// isSecretSetting reports whether a setting's value must never be printed
// as it is: a password, or a connection string that may hold one.
func isSecretSetting(key string) bool { return secret.IsSecretKey(key) || isDSNSetting(key) }
