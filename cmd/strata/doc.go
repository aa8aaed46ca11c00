// Command strata shows what every layer of a container image adds,
// changes, removes and wastes.
//
//	strata [inspect] [flags] IMAGE
//	strata diff [flags] IMAGE_A IMAGE_B
//	strata extract [flags] IMAGE PATH
//	strata build [strata flags] [--] DOCKER_BUILD_ARGS...
//	strata config
//	strata index [flags] IMAGE
//	strata version
//	strata completion bash|zsh|fish
//
// The terminal UI opens only when stdin, stdout and stderr are terminals
// (wantTUI); otherwise, and with --no-tui, --ci or --json, strata prints
// text. Exit codes are in exitcode.go. See README.md for the commands and
// docs/json.md for the JSON reports.
package main
