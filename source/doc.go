// Package source turns what the user typed into an image strata can
// analyze: a path to a `docker save` tarball, an oci-archive or an OCI
// layout directory, with or without a transport prefix
// (docker-archive://, oci-archive://, oci://); an image of the Docker
// Engine (docker://), podman (podman://), containerd (containerd://) or a
// registry (registry://); or a container of the Docker Engine or podman
// (container://), read as its image plus a layer of what it changed.
//
// Each kind of source lives in its own package; this one detects which
// applies and opens it. ReadIndex reads what a reference names as a whole
// (every platform, its attestations, see package index) without a layer,
// and ReadAttached and FindBase what is attached to an opened image: its
// referrers, its provenance, its base.
package source
