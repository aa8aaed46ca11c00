package analyze_test

import (
	"strings"
	"testing"

	"github.com/strata-dev/strata/analyze/tree"
	it "github.com/strata-dev/strata/internal/imagetest"
)

// story is an image that exercises every overlay rule once.
func story() []it.Step {
	return []it.Step{
		{CreatedBy: "ADD rootfs /", Entries: []it.Entry{
			it.Dir("/etc/"), it.Reg("/etc/passwd", strings.Repeat("p", 11)),
			it.Dir("/bin/"), it.Reg("/bin/sh", strings.Repeat("s", 100)), it.Hardlink("/bin/ls", "bin/sh"),
			it.Dir("/srv/"), it.Symlink("/bin/sh2", "sh"),
		}},
		{CreatedBy: "/bin/sh -c edit passwd, chmod sh, chown srv", Entries: []it.Entry{
			it.Reg("/etc/passwd", strings.Repeat("q", 20)),
			it.Reg("/bin/sh", strings.Repeat("s", 100)).WithMode(0o700),
			it.Dir("/srv/").WithOwner(1000, 1000),
		}},
		{CreatedBy: "RUN rm /bin/ls && mkdir -p /tmp/a/b && echo > /tmp/a/b/c", Entries: []it.Entry{
			it.Whiteout("/bin/ls"), it.Reg("/tmp/a/b/c", "1234567"),
		}},
		{CreatedBy: "ENV A=1", Empty: true},
		{CreatedBy: "RUN rm -rf /tmp/a && mkdir /tmp/a && echo > /tmp/a/new", Entries: []it.Entry{
			it.Dir("/tmp/a/"), it.Opaque("/tmp/a"), it.Reg("/tmp/a/new", "12345"),
		}},
		{CreatedBy: "RUN edit passwd again", Entries: []it.Entry{
			it.Reg("/etc/passwd", strings.Repeat("r", 30)),
		}},
		{CreatedBy: "RUN rm -rf /tmp", Entries: []it.Entry{it.Whiteout("/tmp")}},
		{CreatedBy: `CMD ["/bin/sh"]`, Empty: true},
	}
}

func TestStackStory(t *testing.T) {
	res := analyzeSteps(t, story())
	if len(res.Layers) != 6 {
		t.Fatalf("got %d layers, want 6", len(res.Layers))
	}
	layers := [][]string{
		{
			"A /bin", "A /bin/ls -> bin/sh", "A /bin/sh", "A /bin/sh2 -> sh",
			"A /etc", "A /etc/passwd", "A /srv",
		},
		{
			"M /bin", "  /bin/ls -> bin/sh", "M /bin/sh", "  /bin/sh2 -> sh",
			"M /etc", "M /etc/passwd", "M /srv",
		},
		{
			"M /bin", "R /bin/ls -> bin/sh", "  /bin/sh", "  /bin/sh2 -> sh",
			"  /etc", "  /etc/passwd", "  /srv",
			"A /tmp", "A /tmp/a", "A /tmp/a/b", "A /tmp/a/b/c",
		},
		{
			"  /bin", "  /bin/sh", "  /bin/sh2 -> sh", "  /etc", "  /etc/passwd", "  /srv",
			"M /tmp", "M /tmp/a", "R /tmp/a/b", "R /tmp/a/b/c", "A /tmp/a/new",
		},
		{
			"  /bin", "  /bin/sh", "  /bin/sh2 -> sh", "M /etc", "M /etc/passwd", "  /srv",
			"  /tmp", "  /tmp/a", "  /tmp/a/new",
		},
		{
			"  /bin", "  /bin/sh", "  /bin/sh2 -> sh", "  /etc", "  /etc/passwd", "  /srv",
			"R /tmp", "R /tmp/a", "R /tmp/a/new",
		},
	}
	for k, want := range layers {
		diffLines(t, "layer "+res.Layers[k].Command, render(res, k, tree.CompareLayer), want)
	}
	diffLines(t, "aggregated at the top", render(res, 5, tree.CompareAggregated), []string{
		"M /bin", "R /bin/ls -> bin/sh", "M /bin/sh", "  /bin/sh2 -> sh", "M /etc", "M /etc/passwd", "M /srv",
	})
	diffLines(t, "aggregated at layer 2", render(res, 2, tree.CompareAggregated), []string{
		"M /bin", "R /bin/ls -> bin/sh", "M /bin/sh", "  /bin/sh2 -> sh", "M /etc", "M /etc/passwd", "M /srv",
		"A /tmp", "A /tmp/a", "A /tmp/a/b", "A /tmp/a/b/c",
	})

	m := res.Metrics
	wantSizes := []int64{111, 120, 7, 5, 30, 0}
	for i, l := range res.Layers {
		if l.Size != wantSizes[i] {
			t.Errorf("layer %d size = %d, want %d", i, l.Size, wantSizes[i])
		}
	}
	if m.SizeBytes != 273 || m.UserSizeBytes != 162 {
		t.Errorf("size %d user %d, want 273 162", m.SizeBytes, m.UserSizeBytes)
	}
	if want := 128.0 / 278.0; m.Efficiency != want {
		t.Errorf("efficiency = %v, want %v", m.Efficiency, want)
	}
	if m.WastedBytes != 261 {
		t.Errorf("wasted = %d, want 261", m.WastedBytes)
	}
	if want := 261.0 / 162.0; m.UserWastedPercent != want {
		t.Errorf("user wasted = %v, want %v", m.UserWastedPercent, want)
	}
	if m.ReclaimableBytes != 143 {
		t.Errorf("reclaimable = %d, want 143", m.ReclaimableBytes)
	}
	diffLines(t, "inefficient", fmtIneff(m.Inefficient), []string{
		"/bin/sh 2 200", "/etc/passwd 3 61", "/bin/ls 2 0", "/srv 2 0",
	})

	// History: every step, empty ones marked with the layer below them.
	if len(res.History) != 8 {
		t.Fatalf("history has %d steps, want 8", len(res.History))
	}
	for i, want := range []struct {
		layer int
		empty bool
	}{{0, false}, {1, false}, {2, false}, {2, true}, {3, false}, {4, false}, {5, false}, {5, true}} {
		h := res.History[i]
		if h.Layer != want.layer || h.EmptyLayer != want.empty {
			t.Errorf("history %d (%s) = layer %d empty %v, want %d %v", i, h.CreatedBy, h.Layer, h.EmptyLayer, want.layer, want.empty)
		}
	}
	if got := res.Layers[1].Command; got != "edit passwd, chmod sh, chown srv" {
		t.Errorf("layer 1 command = %q", got)
	}
	if got := res.Layers[3].Command; !strings.HasPrefix(got, "RUN rm -rf /tmp/a") {
		t.Errorf("layer 3 command = %q: the ENV step must not take a layer", got)
	}
}
