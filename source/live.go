package source

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"

	"github.com/strata-dev/strata/source/container"
	"github.com/strata-dev/strata/source/containerd"
	"github.com/strata-dev/strata/source/docker"
	"github.com/strata-dev/strata/source/podman"
	"github.com/strata-dev/strata/source/registry"
)

// isReference says whether s names an image rather than a path: it is not
// a file or directory that exists, does not look like a path, and parses
// as an image reference.
func isReference(s string) bool {
	if _, err := os.Stat(s); err == nil {
		return false
	}
	if strings.HasPrefix(s, "/") || strings.HasPrefix(s, "./") || strings.HasPrefix(s, "../") ||
		strings.HasSuffix(s, ".tar") || strings.HasSuffix(s, ".tar.gz") || strings.HasSuffix(s, ".tgz") {
		return false
	}
	_, err := name.ParseReference(s)
	return err == nil
}

// openLive reads from the daemon, podman, containerd, container or
// registry the kind names.
func openLive(ctx context.Context, ref string, kind Kind, o options) (*Image, error) {
	switch kind {
	case Containerd:
		img, err := containerd.Open(ctx, ref, containerd.WithGetenv(o.getenv), containerd.WithNamespace(o.ns),
			containerd.WithPlatform(o.platform))
		if err != nil {
			return nil, err
		}
		return &Image{Image: img, Kind: Containerd, Platform: img.Platform(), close: img.Close}, nil
	case Container:
		img, err := container.Open(ctx, ref, container.WithGetenv(o.getenv))
		if err != nil {
			return nil, err
		}
		return &Image{Image: img, Kind: Container, Platform: img.Platform(), close: img.Close}, nil
	case Docker:
		img, err := docker.Open(ctx, ref, docker.WithGetenv(o.getenv), docker.WithPull(o.pull),
			docker.WithPlatform(o.platform), docker.WithProgress(o.progress))
		if err != nil {
			return nil, err
		}
		return &Image{Image: img, Kind: Docker, Platform: img.Platform(), close: img.Close}, nil
	case Podman:
		popts := []podman.Option{podman.WithGetenv(o.getenv), podman.WithPull(o.pull), podman.WithPlatform(o.platform)}
		if o.podman != "" {
			popts = append(popts, podman.WithCLI(o.podman))
		}
		img, err := podman.Open(ctx, ref, popts...)
		if err != nil {
			return nil, err
		}
		return &Image{Image: img, Kind: Podman, Platform: img.Platform(), close: img.Close}, nil
	}
	img, err := registry.Open(ctx, ref, registry.WithPlatform(o.platform), registry.WithInsecure(o.insecure))
	if err != nil {
		return nil, err
	}
	return &Image{Image: img, Kind: Registry, Platform: img.Platform(), Reference: img.Reference(), close: img.Close}, nil
}

// openAuto reads a bare reference from the Docker daemon when one answers
// and has it (or pulls it there with --pull), else from containerd when it
// answers and has it, else from its registry, and says which on the log.
func openAuto(ctx context.Context, ref string, o options) (*Image, error) {
	img, err := openLive(ctx, ref, Docker, o)
	if err == nil {
		if d, ok := img.Image.(*docker.Image); ok {
			o.logf("reading %s from the Docker daemon at %s", ref, d.Endpoint())
		}
		return img, nil
	}
	var why string
	switch {
	case errors.Is(err, docker.ErrUnreachable):
		why = "no Docker daemon answered"
	case errors.Is(err, docker.ErrNotFound):
		why = "the Docker daemon does not have it"
	default:
		return nil, err
	}
	img, err = openLive(ctx, ref, Containerd, o)
	if err == nil {
		if c, ok := img.Image.(*containerd.Image); ok {
			o.logf("reading %s from containerd at %s (%s)", ref, c.Endpoint(), why)
		}
		return img, nil
	}
	switch {
	case errors.Is(err, containerd.ErrUnreachable):
		why += "; " + err.Error()
	case errors.Is(err, containerd.ErrNotFound):
		why += "; it " + strings.TrimPrefix(err.Error(), ref+" ")
	default:
		return nil, err
	}
	img, rerr := openLive(ctx, ref, Registry, o)
	if rerr != nil {
		return nil, fmt.Errorf("%w (%s, so strata tried the registry)", rerr, why)
	}
	o.logf("reading %s from its registry (%s)", img.Reference, why)
	return img, nil
}
