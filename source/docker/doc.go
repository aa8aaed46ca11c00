// Package docker reads images from a Docker Engine, or anything that
// speaks its API (podman's service does), through the Engine API client
// github.com/moby/moby/client — no docker CLI needed.
//
// The daemon is found the way the docker CLI finds it: $DOCKER_HOST, else
// the context named by $DOCKER_CONTEXT, else the current context of
// $DOCKER_CONFIG/config.json (docker/cli's context store), else the
// default socket. $DOCKER_TLS_VERIFY and $DOCKER_CERT_PATH are honoured
// and the API version is negotiated.
//
// An image is read with ImageSave, streamed into one temporary file that
// is always removed, and opened as a docker-save archive: the image's real
// config, not one rebuilt from the history API. (A docker save stream puts
// manifest.json last, so it cannot be analyzed as it arrives.)
package docker
