// Package registry reads an image straight from a registry, with no
// daemon, through go-containerregistry's remote package.
//
// [Open] fetches the manifest (picking one image out of an index by
// platform) and the configuration, so the layers and the history are known
// at once. Layer blobs are not downloaded by Open: each layer's Open makes
// one GET of its blob and hands the response body to the analysis, which
// reads it once, verifies the digest and diffID on the way and never keeps
// a copy. The analysis opens several layers at once, so the blobs of an
// image download in parallel.
//
// Plain HTTP is used only for loopback registries (localhost, 127.0.0.0/8,
// ::1) unless [WithInsecure] is given. Credentials come from the docker
// configuration and from podman's and skopeo's auth files. Errors are one
// line, name the reference, never carry credentials or tokens, and match a
// sentinel such as [ErrUnauthorized] or [ErrNotFound] with errors.Is.
package registry
