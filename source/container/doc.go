// Package container reads a container of the Docker Engine or podman as an
// image: the image it was created from, plus one layer on top, named
// "container (SHORTID)", that holds what the container changed since it
// was created.
//
// The container is looked up in the Docker daemon the docker CLI would use
// (source/docker's Resolve), then on podman's API sockets
// (source/podman's Sockets). Its image is saved from that daemon as the
// docker source saves any image. The top layer is built from the Engine
// API's list of the container's changes (GET /containers/ID/changes, as
// `docker diff` shows them) and the changed paths as the container has
// them: added and modified paths with their real modes, owners, sizes and
// contents, the directories above them, and deleted ones as ".wh."
// whiteouts. With few paths to read (WithPathLimit) each is read on its
// own (GET /containers/ID/archive, as `docker cp` reads it; a new directory
// in one request); with more, the whole filesystem is read once (GET
// /containers/ID/export, as `docker export`, which leaves volumes out) and
// the changed paths are taken from it: a request per path costs a daemon
// tens to hundreds of milliseconds, so thousands of them would take
// minutes, while the filesystem is at most the image again. The layer is
// written to one temporary file, removed on Close.
// A running container is read as it is, a stopped one too; it is never
// stopped, paused or committed, and nothing is written to the daemon.
//
// The changes and the archives are separate requests, so a container that
// is writing while it is read gives a layer that mixes moments; a path
// that disappears in between is left out (or, when it was modified, shown
// as deleted). The layer has no declared digest: the analysis computes its
// digest and diffID. The image config gets a history step for it, so it
// shows as a step like the image's own.
package container
