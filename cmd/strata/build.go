package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"

	"github.com/spf13/cobra"
)

// newBuildCmd builds an image through the daemon and inspects it, like
// `dive build`.
func newBuildCmd(env *environment) *cobra.Command {
	f := &inspectFlags{}
	cmd := &cobra.Command{
		Use:   "build [strata flags --] [docker build arguments]",
		Short: "Build an image with docker build (or podman build) and inspect it",
		Long: `build runs "docker build" with the arguments given (or "podman build" with
--source podman), then inspects the image it made from the daemon, exactly as
"strata inspect docker://IMAGE" would.

Arguments after "--" go to docker build and the ones before it are strata's;
without "--" every argument goes to docker build.`,
		Example: `  strata build -t myapp:dev .
  strata build --ci --lowest-efficiency 0.95 -- -t myapp:dev -f Dockerfile.prod .
  strata build --source podman -- -t myapp:dev .`,
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			ours, theirs := args[:0:0], args
			if i := slices.Index(args, "--"); i >= 0 {
				ours, theirs = args[:i], args[i+1:]
			}
			if err := cmd.Flags().Parse(ours); err != nil {
				return &exitErr{code: exitError, err: err}
			}
			if slices.Contains(ours, "-h") || slices.Contains(ours, "--help") {
				return cmd.Help()
			}
			if len(cmd.Flags().Args()) > 0 {
				return errUsage("build: put strata's flags before -- and docker build's after it")
			}
			return runBuild(cmd, env, f, theirs)
		},
	}
	f.register(cmd)
	return cmd
}

func runBuild(cmd *cobra.Command, env *environment, f *inspectFlags, buildArgs []string) error {
	tool := "docker"
	switch f.source {
	case "", "docker":
		f.source = "docker"
	case "podman":
		tool = "podman"
	default:
		return fmt.Errorf("build: --source must be docker or podman, not %q", f.source)
	}
	if len(buildArgs) == 0 {
		return errUsage("build needs docker build arguments, at least a context directory")
	}
	bin, err := exec.LookPath(tool)
	if err != nil {
		return fmt.Errorf("build: there is no %s command to build with: %w", tool, err)
	}
	iid, err := os.CreateTemp("", "strata-iid-*")
	if err != nil {
		return err
	}
	iid.Close()
	defer os.Remove(iid.Name())
	args := append([]string{"build", "--iidfile", iid.Name()}, buildArgs...)
	b := exec.CommandContext(cmd.Context(), bin, args...)
	// The build's own output is not data: it goes to stderr.
	b.Stdin, b.Stdout, b.Stderr = env.stdin, env.stderr, env.stderr
	if err := b.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return fmt.Errorf("%s build failed (exit code %d)", tool, ee.ExitCode())
		}
		return fmt.Errorf("running %s build: %w", tool, err)
	}
	id, err := os.ReadFile(iid.Name())
	if err != nil || len(strings.TrimSpace(string(id))) == 0 {
		return fmt.Errorf("%s build did not say which image it made", tool)
	}
	ref := strings.TrimSpace(string(id))
	fmt.Fprintf(env.stderr, "strata: built %s; inspecting it\n", ref)
	return runInspect(cmd, env, f, []string{ref})
}
