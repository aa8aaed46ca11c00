package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// newBuildCmd builds an image through the daemon and inspects it, like
// `dive build`.
func newBuildCmd(env *environment) *cobra.Command {
	f := &inspectFlags{}
	cmd := &cobra.Command{
		Use:   "build [strata flags] [--] DOCKER_BUILD_ARGS...",
		Short: "Build an image with docker build (or podman build) and inspect it",
		Long: `build runs "docker build" with the arguments given (or "podman build" with
--source podman), then inspects the image it made from the daemon, exactly as
"strata inspect docker://IMAGE" would.

strata's own flags come first; the first argument that is not one of them, and
everything after it, goes to docker build. "--" ends strata's flags explicitly.
--platform and --pull, which docker build has too, go to both: the image is
built for that platform and inspected as it.`,
		Example: `  strata build -t myapp:dev .
  strata build --source podman -t myapp:dev .
  strata build --ci --lowest-efficiency 0.95 -t myapp:dev -f Dockerfile.prod .
  strata build --json report.json -- --no-cache .`,
		DisableFlagParsing:    true,
		DisableFlagsInUseLine: true,
		ValidArgsFunction:     completeBuildArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ours, theirs, help, err := splitBuildArgs(cmd.Flags(), args)
			if err != nil {
				return err
			}
			if help {
				return cmd.Help()
			}
			if err := cmd.Flags().Parse(ours); err != nil {
				return &exitErr{code: exitError, err: withFlagSuggestion(cmd, err)}
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

// sharedBuildFlags are flags both strata and docker build have: given
// before the build arguments they go to both.
func sharedBuildFlags() []string { return []string{"platform", "pull"} }

// splitBuildArgs separates strata's flags, which come first, from the
// build's arguments: the first argument that is not a flag of fl, and all
// after it, or all after "--" when there is one. Flags both have
// (--platform, --pull) go to both. help says -h or --help was among
// strata's flags.
func splitBuildArgs(fl *pflag.FlagSet, args []string) (ours, theirs []string, help bool, err error) {
	end, explicit := len(args), false
	if i := slices.Index(args, "--"); i >= 0 {
		end, explicit = i, true
	}
	var shared []string
	i := 0
	for i < end {
		a := args[i]
		if a == "-h" || a == "--help" {
			help = true
			i++
			continue
		}
		var f *pflag.Flag
		inline := false // the value is in the same argument
		switch {
		case strings.HasPrefix(a, "--") && len(a) > 2:
			name, _, hasValue := strings.Cut(a[2:], "=")
			f, inline = fl.Lookup(name), hasValue
		case strings.HasPrefix(a, "-") && len(a) == 2:
			f = fl.ShorthandLookup(a[1:])
		case strings.HasPrefix(a, "-") && len(a) > 2 && a[1] != '-':
			// -jreport.json: a shorthand with its value attached.
			if f = fl.ShorthandLookup(a[1:2]); f != nil && f.NoOptDefVal != "" {
				f = nil // a group of bool shorthands (-it) is docker's
			}
			inline = true
		}
		if f == nil {
			break // the build's arguments start here
		}
		n := 1
		if !inline && f.NoOptDefVal == "" {
			n = 2 // the value is the next argument
			if i+1 >= end {
				return nil, nil, false, &exitErr{code: exitError, err: fmt.Errorf("flag needs an argument: %s", a)}
			}
		}
		ours = append(ours, args[i:i+n]...)
		if slices.Contains(sharedBuildFlags(), f.Name) {
			shared = append(shared, args[i:i+n]...)
		}
		i += n
	}
	if explicit {
		// Everything before "--" is strata's: Parse reports what is not.
		return args[:end], append(shared, args[end+1:]...), help, nil
	}
	return ours, append(shared, args[i:]...), help, nil
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
