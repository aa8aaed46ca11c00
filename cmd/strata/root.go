package main

import (
	"github.com/spf13/cobra"
)

func newRootCmd(env *environment) *cobra.Command {
	f := &inspectFlags{}
	root := &cobra.Command{
		Use:   "strata [flags] IMAGE",
		Short: "See what every layer of a container image adds, changes, removes and wastes",
		Long: `strata shows what every layer of a container image adds, changes, removes and
wastes. IMAGE is a docker save tarball, an oci-archive or an OCI layout
directory (detected from what the path holds, or named with the prefixes
docker-archive://, oci-archive:// and oci://).

"strata IMAGE" is short for "strata inspect IMAGE".`,
		Args:          cobra.ArbitraryArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       versionString(),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				if cmd.Flags().NFlag() > 0 {
					// "strata --ci $IMAGE" with an empty $IMAGE must
					// not pass a CI job by printing the help.
					return errUsage("give exactly one IMAGE")
				}
				return cmd.Help()
			}
			return runInspect(cmd, env, f, args)
		},
	}
	root.SetOut(env.stdout)
	root.SetErr(env.stderr)
	root.SetIn(env.stdin)
	root.SetVersionTemplate("strata {{.Version}}\n")
	f.register(root)
	root.AddCommand(newInspectCmd(env), newVersionCmd())
	root.AddCommand(newExtractCmd(env), newConfigCmd(env), newBuildCmd(env), newDiffCmd(env))
	root.AddCommand(newIndexCmd(env))
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &exitErr{code: exitError, err: err}
	})
	return root
}

func newInspectCmd(env *environment) *cobra.Command {
	f := &inspectFlags{}
	cmd := &cobra.Command{
		Use:   "inspect [flags] IMAGE",
		Short: "Analyze an image: layers, file changes, wasted space",
		Example: `  strata inspect testdata/demo.tar
  strata inspect --json report.json oci-archive://image.tar
  strata inspect --ci --lowest-efficiency 0.95 image.tar`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return &exitErr{code: exitError, err: errUsage("inspect takes exactly one IMAGE")}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runInspect(cmd, env, f, args)
		},
	}
	f.register(cmd)
	return cmd
}

type errUsage string

func (e errUsage) Error() string { return string(e) + " (see strata inspect --help)" }
