// Package podman reads images from podman: through its Docker-compatible
// API socket ($CONTAINER_HOST, else $XDG_RUNTIME_DIR/podman/podman.sock,
// else /run/podman/podman.sock), or, when no socket answers, by running
// `podman image save` into a temporary archive.
package podman
