package containerd

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/containerd/containerd/v2/client"
	"github.com/containerd/containerd/v2/core/images"
	"github.com/containerd/containerd/v2/pkg/namespaces"
	cerrdefs "github.com/containerd/errdefs"
	"github.com/distribution/reference"
)

// names are the names ref may have in containerd: as written, then
// normalized the way ctr, nerdctl and the CRI plugin name images
// (busybox is docker.io/library/busybox:latest). An image ID
// (sha256:HEX, the CRI plugin's second name for an image) is only itself.
func names(ref string) []string {
	out := []string{ref}
	if strings.HasPrefix(ref, "sha256:") {
		return out
	}
	if n, err := reference.ParseDockerRef(ref); err == nil && n.String() != ref {
		out = append(out, n.String())
	}
	return out
}

// lookup finds the image record of ref in the context's namespace.
func lookup(ctx context.Context, c *client.Client, ref string) (images.Image, error) {
	store := c.ImageService()
	var last error
	for _, n := range names(ref) {
		rec, err := store.Get(ctx, n)
		if err == nil {
			return rec, nil
		}
		if !cerrdefs.IsNotFound(err) {
			return images.Image{}, fmt.Errorf("looking up %s in containerd: %w", n, err)
		}
		last = err
	}
	return images.Image{}, last
}

// missing is the error for an image that is not in e's namespace: it
// names the namespaces that hold the image, else lists the ones that hold
// any image.
func missing(ctx context.Context, c *client.Client, ref string, e Endpoint) error {
	what := fmt.Sprintf("%s is not in containerd's namespace %s at %s", ref, e.Namespace, e.Address)
	nss, err := c.NamespaceService().List(ctx)
	if err != nil {
		return &notFoundError{fmt.Sprintf("%s (listing its namespaces: %s)", what, oneLine(err))}
	}
	slices.Sort(nss)
	var holding, nonEmpty []string
	for _, ns := range nss {
		nctx := namespaces.WithNamespace(ctx, ns)
		if ns != e.Namespace {
			if _, err := lookup(nctx, c, ref); err == nil {
				holding = append(holding, ns)
			}
		}
		list, err := c.ImageService().List(nctx)
		if err == nil && len(list) > 0 {
			nonEmpty = append(nonEmpty, fmt.Sprintf("%s (%d)", ns, len(list)))
		}
	}
	switch {
	case len(holding) > 0:
		return &notFoundError{fmt.Sprintf("%s, but it is in namespace %s (use --namespace %s)", what, strings.Join(holding, ", "), holding[0])}
	case len(nonEmpty) > 0:
		return &notFoundError{fmt.Sprintf("%s; the namespaces with images are %s", what, strings.Join(nonEmpty, ", "))}
	}
	return &notFoundError{fmt.Sprintf("%s; it has no images in any namespace", what)}
}

// oneLine is an error's message on one line.
func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}
