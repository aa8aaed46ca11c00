package docker

import (
	"context"
	"fmt"

	cerrdefs "github.com/containerd/errdefs"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/moby/moby/api/types/image"
	"github.com/moby/moby/client"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/strata-dev/strata/source/index"
)

// ReadIndex describes the platforms of an image the daemon has, without
// saving it. A daemon with the containerd image store (API 1.48 and
// later) lists every platform of a multi-platform image and its
// attestations, with their sizes but not their layers; any other keeps
// one platform, described by its inspect: its layers' diffIDs and its
// unpacked size, with no compressed size (a graph driver keeps none).
func ReadIndex(ctx context.Context, ref string, opts ...Option) (*index.Index, error) {
	o, e, cli, err := connect(ctx, opts)
	if err != nil {
		return nil, err
	}
	defer cli.Close()
	var iopts []client.ImageInspectOption
	if versionAtLeast(cli.ClientVersion(), "1.48") {
		iopts = append(iopts, client.ImageInspectWithManifests(true))
	}
	res, err := cli.ImageInspect(ctx, ref, iopts...)
	if err != nil {
		if cerrdefs.IsNotFound(err) {
			return nil, fmt.Errorf("%w: %s is not in the %s at %s", ErrNotFound, ref, o.daemon, e.Host)
		}
		return nil, fmt.Errorf("inspecting %s in the %s at %s: %w", ref, o.daemon, e.Host, err)
	}
	return IndexOf(res.InspectResponse)
}

// IndexOf describes the platforms of an image from the daemon's inspect
// of it: from its manifests when the daemon listed them, else as one
// platform.
func IndexOf(in image.InspectResponse) (*index.Index, error) {
	idx := &index.Index{}
	if in.Descriptor != nil {
		d, err := descriptorOf(*in.Descriptor)
		if err != nil {
			return nil, err
		}
		idx.Root = d
	}
	if len(in.Manifests) == 0 {
		p := index.Platform{
			Platform:          v1.Platform{OS: in.Os, Architecture: in.Architecture, Variant: in.Variant, OSVersion: in.OsVersion},
			Manifest:          idx.Root,
			UncompressedBytes: in.Size,
			Attestation:       -1,
		}
		if in.Config != nil {
			p.Labels = in.Config.Labels
		}
		for _, s := range in.RootFS.Layers {
			h, err := v1.NewHash(s)
			if err != nil {
				return nil, fmt.Errorf("the daemon gives the layer %q: %w", s, err)
			}
			p.Layers = append(p.Layers, index.Layer{DiffID: h, Size: -1, Uncompressed: -1})
		}
		idx.Platforms = []index.Platform{p}
		idx.Finish()
		return idx, nil
	}
	for _, m := range in.Manifests {
		d, err := descriptorOf(m.Descriptor)
		if err != nil {
			return nil, err
		}
		switch m.Kind {
		case image.ManifestKindImage:
			p := index.Platform{Manifest: d, CompressedBytes: -1, UncompressedBytes: -1, LayerCount: -1, Attestation: -1}
			if m.ImageData != nil {
				pl := m.ImageData.Platform
				p.Platform = v1.Platform{OS: pl.OS, Architecture: pl.Architecture, Variant: pl.Variant, OSVersion: pl.OSVersion}
				if m.ImageData.Size.Unpacked > 0 {
					p.UncompressedBytes = m.ImageData.Size.Unpacked
				}
			}
			if m.Available {
				p.CompressedBytes = max(m.Size.Content-max(d.Size, 0), 0)
			} else {
				p.Absent = "the daemon holds only part of its content (pull it with --platform)"
			}
			idx.Platforms = append(idx.Platforms, p)
		case image.ManifestKindAttestation:
			a := index.Attestation{Manifest: d, Platform: -1}
			if m.AttestationData != nil {
				if h, err := v1.NewHash(m.AttestationData.For.String()); err == nil {
					a.For = h
				}
			}
			if !m.Available {
				a.Absent = "the daemon does not hold it"
			}
			idx.Attestations = append(idx.Attestations, a)
		default:
			idx.Artifacts = append(idx.Artifacts, d)
		}
	}
	idx.Finish()
	return idx, nil
}

// descriptorOf converts the daemon's descriptor to go-containerregistry's.
func descriptorOf(d ocispec.Descriptor) (v1.Descriptor, error) {
	h, err := v1.NewHash(d.Digest.String())
	if err != nil {
		return v1.Descriptor{}, fmt.Errorf("the daemon gives the digest %q: %w", d.Digest, err)
	}
	out := v1.Descriptor{MediaType: types.MediaType(d.MediaType), Digest: h, Size: d.Size, Annotations: d.Annotations}
	if d.Platform != nil {
		out.Platform = &v1.Platform{OS: d.Platform.OS, Architecture: d.Platform.Architecture, Variant: d.Platform.Variant}
	}
	return out, nil
}
