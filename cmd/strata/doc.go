// Command strata shows what every layer of a container image adds,
// changes, removes and wastes.
//
//	strata inspect [flags] IMAGE
//	strata IMAGE
//	strata index [flags] IMAGE
//	strata version
//	strata completion bash|zsh|fish
//
// See README.md for sources, flags, the JSON schema and exit codes.
package main
