package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/strata-dev/strata/ui/app"
	"github.com/strata-dev/strata/ui/config"
)

// newConfigCmd prints the effective configuration: the file's settings
// over the defaults, with every key binding spelled out.
func newConfigCmd(env *environment) *cobra.Command {
	var path string
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Print the effective configuration (every key binding included)",
		Long: `Print the effective configuration as YAML: the configuration file's settings
over the defaults, with every key binding spelled out. The output is itself a
valid configuration file.

The file is --config PATH, else $STRATA_CONFIG, else
$XDG_CONFIG_HOME/strata/config.yaml, else ~/.config/strata/config.yaml.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := config.Load(path, env.getenv)
			if err != nil {
				return err
			}
			if _, _, err := uiSettings(cfg, env.getenv); err != nil {
				return err
			}
			keys := app.DefaultKeys()
			if err := keys.Apply(cfg.Keys); err != nil {
				return err
			}
			for name, b := range keys.Bindings() {
				cfg.Keys[name] = b.Keys()
			}
			out, err := cfg.YAML()
			if err != nil {
				return err
			}
			from := "# no configuration file: these are the defaults\n"
			if cfg.Path != "" {
				from = fmt.Sprintf("# from %s\n", cfg.Path)
			}
			_, err = fmt.Fprint(env.stdout, from+string(out))
			return err
		},
	}
	cmd.Flags().StringVar(&path, "config", "", "configuration `FILE`")
	return cmd
}
