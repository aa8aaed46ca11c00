// Package containerd reads images from containerd's content store, the
// image store of Kubernetes nodes (namespace "k8s.io") and of nerdctl
// (namespace "default"), through containerd's Go client
// (github.com/containerd/containerd/v2/client).
//
// The socket is the one WithAddress names, else $CONTAINERD_ADDRESS, else
// /run/containerd/containerd.sock; the namespace the one WithNamespace
// names, else $CONTAINERD_NAMESPACE, else "default". A reference is looked
// up as it is written and then normalized the way containerd names images
// (busybox is docker.io/library/busybox:latest).
//
// The image's index (for WithPlatform), manifest and config are read from
// the content store, and each layer is read there as the blob it is stored
// as (compressed), never by mounting or unpacking a snapshot. The digests
// and diffIDs are the ones the manifest and config declare, so the
// analysis checks the bytes against them as it does for every source. A
// layer whose blob containerd no longer holds (the CRI plugin's
// discard_unpacked_layers) is an error naming it.
//
// An image that is not in the namespace is an error wrapping ErrNotFound
// that names the namespaces that do hold it, or else lists the namespaces
// that hold any image.
package containerd
