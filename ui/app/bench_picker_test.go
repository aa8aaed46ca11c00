package app

import (
	"context"
	"testing"

	"github.com/strata-dev/strata/source"
)

// BenchmarkPickerFirstFrame measures the platform picker of an index of
// 2 platforms × 8 layers in an in-process registry: "frame" from the
// index read (source.ReadIndex returned) to the picker's first frame
// drawn; "read+frame" with reading the index's manifests and configs.
func BenchmarkPickerFirstFrame(b *testing.B) {
	ref, _, _ := pushedIndex(b, nil)
	idx, err := source.ReadIndex(context.Background(), ref)
	if err != nil {
		b.Fatal(err)
	}
	idx.Close()
	b.Run("frame", func(b *testing.B) {
		for b.Loop() {
			p := pickerOf(b, ref, idx.Reference, idx.Rows(), 120, 40)
			if len(p.Render()) == 0 {
				b.Fatal("no frame")
			}
			p.Close()
		}
	})
	b.Run("read+frame", func(b *testing.B) {
		for b.Loop() {
			idx, err := source.ReadIndex(context.Background(), ref)
			if err != nil {
				b.Fatal(err)
			}
			idx.Close()
			p := pickerOf(b, ref, idx.Reference, idx.Rows(), 120, 40)
			if len(p.Render()) == 0 {
				b.Fatal("no frame")
			}
			p.Close()
		}
	})
}
