// Package source turns what the user typed into an image strata can
// analyze: a path to a `docker save` tarball, an oci-archive or an OCI
// layout directory, with or without a transport prefix
// (docker-archive://, oci-archive://, oci://); an image of the Docker
// Engine (docker://), podman (podman://), containerd (containerd://) or a
// registry (registry://); or a container of the Docker Engine or podman
// (container://), read as its image plus a layer of what it changed.
//
// Each kind of source lives in its own package; this one detects which
// applies and opens it.
package source
