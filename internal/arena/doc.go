// Package arena keeps the many small values an image analysis makes —
// hundreds of thousands of tree nodes, entries and path names — in large
// shared blocks instead of one allocation each.
//
// [Paged] is a growable array in fixed-size pages whose elements never
// move; [Strings] keeps strings in 64 KiB chunks and hands out [Ref]s,
// which hold no pointer, so that the garbage collector need not look into
// the structures that keep them. [AdviseHeap] asks the kernel to back the
// heap an analysis is about to grow into with huge pages.
package arena
