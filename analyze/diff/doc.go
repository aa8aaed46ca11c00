// Package diff compares two analyzed images, A and B: what a rebuild did
// to an image.
//
// [Compare] takes two finished analyses and works out
//
//   - which layers the images share (by diffID), which are new in B and
//     which are gone, with the two lists aligned (a longest common
//     subsequence of diffIDs, so a reordered step shows as moved), and
//     what a machine holding A downloads to get B;
//   - the two build histories aligned by instruction, with the first step
//     where they diverge;
//   - the final filesystems compared path by path in a [Tree]: added,
//     removed and modified paths, and for a modified one what differs
//     (content, mode, owner, type or link target), with each directory's
//     size in A and B and the changes below it rolled up.
//
// [NewReport] turns a Diff into the document `strata diff --json`
// writes, and [Diff.WriteText] into the plain-text summary. The package
// reads analyze's results only; it knows nothing of where images come
// from.
package diff
