package app

import (
	"context"
	"io"
	"log"
	"net/http/httptest"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/google/go-containerregistry/pkg/name"
	ggcrregistry "github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/strata-dev/strata/internal/imagetest"
	"github.com/strata-dev/strata/source"
	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/details"
	"github.com/strata-dev/strata/ui/internal/panetest"
)

// pushedWithBase pushes an image of 8 layers and its base, an image of
// its first 3, to an in-process registry, and returns their references.
func pushedWithBase(t *testing.T) (img, base string) {
	t.Helper()
	full, err := imagetest.PlatformImages([]string{"linux/amd64"}, 8, 3, 4<<10)
	if err != nil {
		t.Fatal(err)
	}
	short, err := imagetest.PlatformImages([]string{"linux/amd64"}, 3, 3, 4<<10)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := full[0].ConfigFile()
	b, _ := short[0].ConfigFile()
	for i := range 3 {
		if a.RootFS.DiffIDs[i] != b.RootFS.DiffIDs[i] {
			t.Fatalf("layer %d of the base is not the image's", i)
		}
	}
	srv := httptest.NewServer(ggcrregistry.New(ggcrregistry.Logger(log.New(io.Discard, "", 0))))
	t.Cleanup(srv.Close)
	host := strings.TrimPrefix(srv.URL, "http://")
	push := func(ref string, img v1.Image) {
		r, err := name.ParseReference(ref)
		if err != nil {
			t.Fatal(err)
		}
		if err := remote.Write(r, img); err != nil {
			t.Fatal(err)
		}
	}
	img, base = host+"/strata/app:1", host+"/strata/base:1"
	push(img, full[0])
	push(base, short[0])
	return img, base
}

// An image whose base is known (--base): the base's layers are marked,
// the hide key hides them and shows them again, and the image's details
// give the metrics of the layers above the base beside the whole image's.
func TestBaseLayersAreMarkedAndHidden(t *testing.T) {
	ref, baseRef := pushedWithBase(t)
	img, err := source.OpenContext(context.Background(), "registry://"+ref)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { img.Close() })
	m, err := New(context.Background(), Options{Reference: img.Reference, Source: "registry", Platform: "linux/amd64", Image: img,
		Styles: panetest.Styles(t, common.Plain), Keys: DefaultKeys(),
		Supply: func(ctx context.Context) (*Supply, error) {
			att, err := source.ReadAttached(ctx, "registry://"+ref, img)
			if err != nil {
				return nil, err
			}
			defer att.Close()
			b, err := source.FindBase(ctx, img, att, baseRef)
			if err != nil {
				return nil, err
			}
			return &Supply{BaseLayers: b.Layers, Details: details.Supply{Base: b.Reference}}, nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Close)
	next, _ := m.Update(tea.WindowSizeMsg{Width: 200, Height: 80})
	m = load(t, next.(Model))

	want := []string{
		"  #     Size  Command",
		"> 0   4.1 kB  base · COPY layer-0 /",
		"  1   4.1 kB  base · COPY layer-1 /",
		"  2   4.1 kB  base · COPY layer-2 /",
		"  3   4.1 kB  COPY layer-3 /",
		"  4   4.1 kB  COPY layer-4 /",
		"  5   4.1 kB  COPY layer-5 /",
		"  6   4.1 kB  COPY layer-6 /",
		"  7   4.1 kB  COPY layer-7 /",
	}
	panetest.RequireLines(t, rows(m, paneLayers)[:9], want...)

	// The hide key hides the base's layers: the cursor goes to the first
	// layer shown, and the tree shows it.
	hide := panetest.Key(DefaultKeys().Layers.HideBase)
	m = run(t, m, hide)
	panetest.RequireLines(t, rows(m, paneLayers)[:6],
		"  #     Size  Command",
		"> 3   4.1 kB  COPY layer-3 /",
		"  4   4.1 kB  COPY layer-4 /",
		"  5   4.1 kB  COPY layer-5 /",
		"  6   4.1 kB  COPY layer-6 /",
		"  7   4.1 kB  COPY layer-7 /")
	has(t, m, "Layers · compare: layer · base's 3 hidden", "[5] Layer 3 contents")
	m = run(t, m, panetest.Key(DefaultKeys().Layers.Down), hide)
	panetest.RequireLines(t, rows(m, paneLayers)[:9], append(append([]string{}, want[0]), strings.Replace(want[1], "> ", "  ", 1),
		want[2], want[3], "  3   4.1 kB  COPY layer-3 /", "> 4   4.1 kB  COPY layer-4 /", want[6], want[7], want[8])...)

	// The image's details: the base, and the layers above it beside the
	// whole image's figures.
	m = run(t, m, panetest.Key(DefaultKeys().Global.Pane4))
	has(t, m, "Total size   33 kB", "Base         "+baseRef, "Your layers  20 kB from layer 3 · efficiency 100.00 % · wasted 0 B")
}
