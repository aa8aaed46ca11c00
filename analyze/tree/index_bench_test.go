package tree

import (
	"fmt"
	"testing"
)

// benchNames are the children of 1,000 directories, 100 each: the paths
// of a large layer.
func benchNames() []string {
	names := make([]string, 100)
	for i := range names {
		names[i] = fmt.Sprintf("file-%03d.py", i)
	}
	return names
}

// BenchmarkChildIndex adds 100,000 children and looks each up again: with
// the child index the tree uses (8 bytes a slot, the name read back from
// the node) and with the map it replaced. bytes/op shows the memory each
// keeps for the same children; that and the time are why index.go
// exists.
func BenchmarkChildIndex(b *testing.B) {
	names := benchNames()
	const dirs = 1000
	b.Run("strata", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			t := newTree()
			parents := make([]NodeID, dirs)
			for d := range parents {
				parents[d] = t.child(Root, fmt.Sprintf("dir-%04d", d))
			}
			for _, p := range parents {
				for _, n := range names {
					t.child(p, n)
				}
			}
			for _, p := range parents {
				for _, n := range names {
					if c, _, _ := t.index.find(t, p, n); c == NoNode {
						b.Fatal("lost a child")
					}
				}
			}
		}
	})
	b.Run("map", func(b *testing.B) {
		type key struct {
			parent NodeID
			name   string
		}
		b.ReportAllocs()
		for b.Loop() {
			t := newTree()
			index := map[key]NodeID{}
			add := func(p NodeID, n string) NodeID {
				if c, ok := index[key{p, n}]; ok {
					return c
				}
				id := NodeID(t.nodes.Add(node{name: t.names.Add(n), parent: p, first: NoNode, next: NoNode,
					liveFirst: NoNode, liveNext: NoNode, livePrev: NoNode, last: NoEntry}))
				index[key{p, t.names.Get(t.node(id).name)}] = id
				return id
			}
			parents := make([]NodeID, dirs)
			for d := range parents {
				parents[d] = add(Root, fmt.Sprintf("dir-%04d", d))
			}
			for _, p := range parents {
				for _, n := range names {
					add(p, n)
				}
			}
			for _, p := range parents {
				for _, n := range names {
					if _, ok := index[key{p, n}]; !ok {
						b.Fatal("lost a child")
					}
				}
			}
		}
	})
}
