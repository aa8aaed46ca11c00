package main

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/moby/moby/client"
	"github.com/spf13/cobra"

	"github.com/strata-dev/strata/source"
	"github.com/strata-dev/strata/source/docker"
)

// completionShells are the shells `strata completion` writes scripts for.
func completionShells() []string { return []string{"bash", "zsh", "fish"} }

// setUpCompletion makes cobra's completion command, keeping only the
// shells README documents.
func setUpCompletion(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() != "completion" {
			continue
		}
		c.Short = "Print a shell completion script (bash, zsh or fish)"
		c.Use = "completion bash|zsh|fish"
		c.Args = cobra.ArbitraryArgs
		c.RunE = func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return cmd.Help()
			}
			return &exitErr{code: exitError, err: fmt.Errorf("completion %s: strata writes completion scripts for bash, zsh and fish", args[0])}
		}
		for _, sub := range c.Commands() {
			if !slices.Contains(completionShells(), sub.Name()) {
				c.RemoveCommand(sub)
			}
		}
	}
}

// commonPlatforms are the --platform values offered for completion: the
// ones images are most often built for.
func commonPlatforms() []string {
	return []string{"linux/amd64", "linux/arm64", "linux/arm/v7", "linux/arm/v6", "linux/386",
		"linux/ppc64le", "linux/s390x", "linux/riscv64"}
}

// registerSourceCompletions completes the values of --source and
// --platform.
func registerSourceCompletions(cmd *cobra.Command) {
	cmd.RegisterFlagCompletionFunc("source", func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		var kinds []cobra.Completion
		for _, k := range source.Kinds() {
			kinds = append(kinds, string(k))
		}
		return kinds, cobra.ShellCompDirectiveNoFileComp
	})
	cmd.RegisterFlagCompletionFunc("platform", func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		host := "linux/" + runtime.GOARCH
		platforms := []cobra.Completion{host}
		for _, p := range commonPlatforms() {
			if p != host {
				platforms = append(platforms, p)
			}
		}
		return platforms, cobra.ShellCompDirectiveNoFileComp
	})
}

// completeImages completes an IMAGE argument: the repository:tag names the
// Docker daemon holds, when one answers quickly, then files (the shell's
// own completion) when none of them match what was typed.
func completeImages(env *environment, maxArgs int) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) >= maxArgs {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		if looksLikePath(toComplete) {
			return nil, cobra.ShellCompDirectiveDefault
		}
		prefix := ""
		for _, p := range []string{"docker://"} {
			if strings.HasPrefix(toComplete, p) {
				prefix = p
			}
		}
		var out []cobra.Completion
		for _, name := range daemonImages(cmd.Context(), env.getenv) {
			if strings.HasPrefix(prefix+name, toComplete) {
				out = append(out, prefix+name)
			}
		}
		return out, cobra.ShellCompDirectiveDefault
	}
}

// looksLikePath says whether what is being typed can only be a path.
func looksLikePath(s string) bool {
	return strings.HasPrefix(s, ".") || strings.HasPrefix(s, "/") || strings.HasPrefix(s, "~") ||
		strings.Contains(s, "://") && !strings.HasPrefix(s, "docker://")
}

// daemonCompletionTimeout bounds asking the daemon for its images while
// the user waits on the tab key.
const daemonCompletionTimeout = 500 * time.Millisecond

// daemonImages lists the repository:tag names of the Docker daemon's
// images, or nothing when no daemon answers within
// daemonCompletionTimeout.
func daemonImages(ctx context.Context, getenv func(string) string) []string {
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, cancel := context.WithTimeout(ctx, daemonCompletionTimeout)
	defer cancel()
	e, err := docker.Resolve(getenv)
	if err != nil {
		return nil
	}
	cli, err := docker.Connect(ctx, e, "Docker daemon")
	if err != nil {
		return nil
	}
	defer cli.Close()
	list, err := cli.ImageList(ctx, client.ImageListOptions{})
	if err != nil {
		return nil
	}
	var names []string
	for _, img := range list.Items {
		for _, tag := range img.RepoTags {
			if tag != "" && tag != "<none>:<none>" && isPrintable(tag) {
				names = append(names, tag)
			}
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// isPrintable says whether a name from the daemon is safe to hand to a
// shell's completion: printable, no spaces.
func isPrintable(s string) bool {
	for _, r := range s {
		if r <= ' ' || r == 0x7f || r > '~' {
			return false
		}
	}
	return true
}

// completeBuildArgs completes build's arguments, which cobra does not
// parse: the values of --source and --platform, else files (the build
// context, a Dockerfile).
func completeBuildArgs(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) > 0 {
		if f := cmd.Flags().Lookup(strings.TrimPrefix(args[len(args)-1], "--")); f != nil && strings.HasPrefix(args[len(args)-1], "--") {
			if complete, ok := cmd.GetFlagCompletionFunc(f.Name); ok {
				return complete(cmd, args, toComplete)
			}
		}
	}
	return nil, cobra.ShellCompDirectiveDefault
}
