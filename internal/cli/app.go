package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"
)

// App is what every command shares: the streams and the settings.
type App struct {
	IO *IOStreams

	configFile string // --config
	quiet      bool   // --quiet
	config     *viper.Viper
	usedConfig string           // the config file actually read, if any
	bar        *Progress        // the progress bar showing now, if any (progress.go)
	clock      func() time.Time // progress.go's clock; nil is time.Now (tests set it)
}

// NewApp returns an App on the given streams.
func NewApp(io *IOStreams) *App {
	return &App{IO: io, config: viper.New()}
}

// Quiet reports whether status output and progress are off.
func (a *App) Quiet() bool { return a.quiet }

// configKeyAnnotation names a flag's setting in the config file and the
// environment when it differs from the default "<command path>.<flag>", for
// settings that several commands share (pg.dsn is XDM_PG_DSN).
const configKeyAnnotation = "xdm_config_key"

// setConfigKey gives flag name of cmd the config key key.
func setConfigKey(cmd *cobra.Command, name, key string) {
	_ = cmd.Flags().SetAnnotation(name, configKeyAnnotation, []string{key})
}

// configKey is the settings key of flag f on cmd: the annotation, or the
// command path below the root joined with the flag name by dots, so
// "xdm journal fix --workers" is journal.fix.workers and XDM_JOURNAL_FIX_WORKERS.
func configKey(cmd *cobra.Command, f *pflag.Flag) string {
	if k, ok := f.Annotations[configKeyAnnotation]; ok && len(k) == 1 {
		return k[0]
	}
	if cmd.Root().PersistentFlags().Lookup(f.Name) == f {
		return f.Name
	}
	path := strings.Fields(cmd.CommandPath())[1:]
	return strings.Join(append(path, f.Name), ".")
}

// envName is the environment variable that sets key.
func envName(key string) string {
	return "XDM_" + strings.ToUpper(strings.NewReplacer(".", "_", "-", "_").Replace(key))
}

// loadConfig reads the config file and environment and sets every flag the
// user did not give on the command line from them.
func (a *App) loadConfig(cmd *cobra.Command) error {
	v := a.config
	v.SetEnvPrefix("XDM")
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_", "-", "_"))
	v.AutomaticEnv()
	file, err := a.findConfigFile()
	if err != nil {
		return err
	}
	if file != "" {
		v.SetConfigFile(file)
		v.SetConfigType("yaml")
		if err := v.ReadInConfig(); err != nil {
			return exitWith(ExitUsage, fmt.Errorf("config file %s: %w", file, err))
		}
		a.usedConfig = file
	}
	var setErr error
	apply := func(f *pflag.Flag) {
		if f.Changed || setErr != nil {
			return
		}
		key := configKey(cmd, f)
		if !v.IsSet(key) {
			return
		}
		from := "the config file " + a.usedConfig
		if _, ok := os.LookupEnv(envName(key)); ok {
			from = "the environment variable " + envName(key)
		}
		for _, val := range configValues(v.Get(key)) {
			if err := f.Value.Set(val); err != nil {
				shown := strconv.Quote(val)
				if isSecretSetting(key) {
					shown = "the value"
				}
				setErr = usageErrorf("%s (setting %s, flag --%s): %s: %v", from, key, f.Name, shown, err)
				return
			}
		}
	}
	cmd.Flags().VisitAll(apply)
	cmd.InheritedFlags().VisitAll(apply)
	return setErr
}

// configValues turns a config value into the strings a flag takes: one for a
// scalar, one per element for a YAML list.
func configValues(val any) []string {
	switch x := val.(type) {
	case []any:
		out := make([]string, len(x))
		for i, e := range x {
			out[i] = fmt.Sprint(e)
		}
		return out
	case []string:
		return x
	default:
		return []string{fmt.Sprint(x)}
	}
}

// findConfigFile returns --config, else ./xdm.yaml, else the user's
// <config dir>/xdm/xdm.yaml, else "" (no file: flags and environment only).
func (a *App) findConfigFile() (string, error) {
	if a.configFile != "" {
		if _, err := os.Stat(a.configFile); err != nil {
			return "", exitWith(ExitUsage, fmt.Errorf("config file: %w", err))
		}
		return a.configFile, nil
	}
	candidates := []string{"xdm.yaml"}
	if dir, err := os.UserConfigDir(); err == nil {
		candidates = append(candidates, filepath.Join(dir, "xdm", "xdm.yaml"))
	}
	for _, c := range candidates {
		if _, err := os.Stat(c); err == nil {
			return c, nil
		} else if !errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("config file %s: %w", c, err)
		}
	}
	return "", nil
}
