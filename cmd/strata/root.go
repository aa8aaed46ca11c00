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
wastes. IMAGE is one of:

  an image of the Docker daemon or podman   alpine:3.20, docker://app:dev, podman://app:dev
  an image of containerd                    containerd://docker.io/library/nginx:1.27
  a container, as its image and its changes container://web
  an image in a registry                    registry://ghcr.io/org/app:1.5
  a docker save tarball, an oci-archive     app.tar, docker-archive://app.tar,
  or an OCI layout directory                oci-archive://app.tar, oci://dir

A path is read for what it holds. A bare reference is read from the Docker
daemon when one answers and has the image, else from containerd when it has
it, else from its registry.

On a terminal (stdin, stdout and stderr all terminals) strata opens its
terminal UI; otherwise, and with --no-tui, --ci or --json, it prints text.

"strata IMAGE" is short for "strata inspect IMAGE".`,
		Example: `  strata testdata/demo.tar
  strata --no-tui alpine:3.20
  strata --ci --lowest-efficiency 0.95 registry://ghcr.io/org/app:1.5`,
		Args:              cobra.ArbitraryArgs,
		ValidArgsFunction: completeImages(env, 1),
		SilenceUsage:      true,
		SilenceErrors:     true,
		Version:           versionString(),
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
	root.AddCommand(newExtractCmd(env), newConfigCmd(env), newBuildCmd(env), newDiffCmd(env), newCacheCmd(env))
	root.AddCommand(newSBOMCmd(env))
	root.AddCommand(newIndexCmd(env))
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return &exitErr{code: exitError, err: withFlagSuggestion(cmd, err)}
	})
	setUpCompletion(root)
	return root
}

func newInspectCmd(env *environment) *cobra.Command {
	f := &inspectFlags{}
	cmd := &cobra.Command{
		Use:   "inspect [flags] IMAGE",
		Short: "Analyze an image: layers, file changes, wasted space",
		Long: `inspect analyzes IMAGE (see "strata --help" for what it can be): the terminal
UI on a terminal, else a text summary; --json writes the analysis as JSON, and
--ci (or a rule flag) checks it against the CI rules.`,
		Example: `  strata inspect testdata/demo.tar
  strata inspect --json report.json oci-archive://image.tar
  strata inspect --ci --lowest-efficiency 0.95 image.tar`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return &exitErr{code: exitError, err: errUsage("inspect takes exactly one IMAGE")}
			}
			return nil
		},
		ValidArgsFunction: completeImages(env, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runInspect(cmd, env, f, args)
		},
	}
	f.register(cmd)
	return cmd
}

type errUsage string

func (e errUsage) Error() string { return string(e) + " (see strata inspect --help)" }
