package main

// wantTUI says whether inspect and diff open the terminal UI: only when
// stdin, stdout and stderr are all terminals, and not with --no-tui, --ci
// (or a flag that turns CI on) or --json. `strata IMAGE | cat` and
// `strata IMAGE > out.txt` print the text summary: stdout is where the user
// asked for the output, and the UI, which draws on stderr, would leave it
// empty.
func wantTUI(env *environment, noTUI, ci bool, jsonPath string) bool {
	return !noTUI && !ci && jsonPath == "" &&
		isTerminal(env.stdin) && isTerminal(env.stdout) && isTerminal(env.stderr)
}
