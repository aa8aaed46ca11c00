package imagetest

import (
	"io"
	"testing"

	"github.com/google/go-containerregistry/pkg/compression"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

func demoSteps() []Step {
	return []Step{
		{CreatedBy: "ADD rootfs.tar /", Entries: []Entry{Dir("/etc"), Reg("/etc/hostname", "demo\n")}},
		{CreatedBy: "ENV PATH=/usr/bin", Empty: true},
		{CreatedBy: "RUN rm /etc/hostname", Entries: []Entry{Whiteout("/etc/hostname")}},
		{CreatedBy: `CMD ["/bin/sh"]`, Empty: true},
	}
}

func TestImageHistoryAndConfig(t *testing.T) {
	img, err := Image(demoSteps())
	if err != nil {
		t.Fatal(err)
	}
	layers, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	if len(layers) != 2 {
		t.Fatalf("got %d layers, want 2", len(layers))
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	if cf.OS != "linux" || cf.Architecture != "amd64" {
		t.Errorf("platform = %s/%s, want linux/amd64", cf.OS, cf.Architecture)
	}
	if len(cf.History) != 4 || len(cf.RootFS.DiffIDs) != 2 {
		t.Fatalf("got %d history entries and %d diffIDs, want 4 and 2", len(cf.History), len(cf.RootFS.DiffIDs))
	}
	for i, s := range demoSteps() {
		h := cf.History[i]
		if h.CreatedBy != s.CreatedBy || h.EmptyLayer != s.Empty {
			t.Errorf("history %d = %+v, want %q empty=%v", i, h, s.CreatedBy, s.Empty)
		}
		if i > 0 && !h.Created.After(cf.History[i-1].Created.Time) {
			t.Errorf("history %d created %v, not after previous", i, h.Created)
		}
	}
	mt, err := img.MediaType()
	if err != nil {
		t.Fatal(err)
	}
	if mt != types.DockerManifestSchema2 {
		t.Errorf("manifest media type = %s", mt)
	}

	again, err := Image(demoSteps())
	if err != nil {
		t.Fatal(err)
	}
	d1, _ := img.Digest()
	d2, _ := again.Digest()
	if d1 != d2 {
		t.Errorf("digests differ between builds: %s vs %s", d1, d2)
	}
}

func TestImageOptions(t *testing.T) {
	for _, tc := range []struct {
		opts      []Option
		layerType types.MediaType
		manifest  types.MediaType
	}{
		{nil, types.DockerLayer, types.DockerManifestSchema2},
		{[]Option{WithOCIMediaTypes()}, types.OCILayer, types.OCIManifestSchema1},
		{[]Option{WithCompression(compression.ZStd)}, types.OCILayerZStd, types.OCIManifestSchema1},
		{[]Option{WithCompression(compression.None)}, types.DockerUncompressedLayer, types.DockerManifestSchema2},
		{[]Option{WithCompression(compression.None), WithOCIMediaTypes()}, types.OCIUncompressedLayer, types.OCIManifestSchema1},
	} {
		t.Run(string(tc.layerType), func(t *testing.T) {
			opts := append(tc.opts, WithPlatform("linux", "arm64", "v8"))
			img, err := Image(demoSteps(), opts...)
			if err != nil {
				t.Fatal(err)
			}
			m, err := img.Manifest()
			if err != nil {
				t.Fatal(err)
			}
			if m.MediaType != tc.manifest || m.Layers[0].MediaType != tc.layerType {
				t.Errorf("media types = %s / %s, want %s / %s", m.MediaType, m.Layers[0].MediaType, tc.manifest, tc.layerType)
			}
			cf, err := img.ConfigFile()
			if err != nil {
				t.Fatal(err)
			}
			if p := cf.Platform(); p.OS != "linux" || p.Architecture != "arm64" || p.Variant != "v8" {
				t.Errorf("platform = %+v", p)
			}
			layers, err := img.Layers()
			if err != nil {
				t.Fatal(err)
			}
			rc, err := layers[0].Uncompressed()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			b, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			hdrs, _ := readTar(t, b)
			if len(hdrs) != 2 || hdrs[1].Name != "etc/hostname" {
				t.Errorf("layer 0 round-trip gave %d entries", len(hdrs))
			}
		})
	}
}

func TestImageErrors(t *testing.T) {
	if _, err := Image([]Step{{CreatedBy: "ENV A=1", Empty: true, Entries: []Entry{Reg("a", "")}}}); err == nil {
		t.Error("want error for an empty step with entries")
	}
	if _, err := Image(demoSteps(), WithCompression("lz4")); err == nil {
		t.Error("want error for unknown compression")
	}
}
