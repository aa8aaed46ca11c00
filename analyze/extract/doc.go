// Package extract writes a file or a directory of an analyzed image, as the
// stacked filesystem holds it at one layer, into a directory on disk.
//
// Every file's contents come from the layer its visible version was written
// by. The layers needed are each streamed once, through the same
// decompression as the analysis, and every file is checked against the size
// and hash the analysis recorded for it.
//
// Extraction is meant for images nobody vouched for, so it is careful:
//
//   - Everything is written below the output directory, through an
//     [os.Root] on it: image path P lands at DIR/base(P)/…, and "/" at DIR/….
//     An entry whose name would escape the directory is refused with an
//     error (the analysis already cleans names, so this is a second line).
//   - Symlinks are written as they are, but only when their target, resolved
//     from the link's place — through "..", the symlinks the extraction
//     writes and those already in the directory — stays inside the output
//     directory. Absolute targets always leave it. A symlink that would
//     leave it is not written: it is counted in [Summary.Skipped] with a
//     warning, and the extraction goes on.
//   - Symlinks are never followed while writing. Directories are created
//     one by one and checked with Lstat, so a symlink already in the
//     directory (pointing out or not) where the image has a directory is
//     an error, or with force is removed and replaced. Files are created
//     with O_CREATE|O_EXCL, which never follows a symlink, after checking
//     that their parent is a real directory; symlinks are written last, so
//     none of them lies on the way to anything written. The os.Root keeps
//     even a racing change of the directory from leading outside it.
//   - Existing files are not overwritten unless [WithForce]; with it they are
//     removed and created anew, never written through, so an existing hard
//     link or symlink cannot carry the write elsewhere. Existing directories
//     are merged into; a directory is never replaced by a non-directory.
//     Without force every conflict is found before anything is written.
//   - Permission bits are the image's, less the umask; setuid, setgid and
//     sticky bits are never set, and owners are not restored. Directories
//     stay writable by their owner until everything is written.
//   - Device nodes and fifos are skipped and counted in [Summary.Skipped].
//   - Hard links are written as hard links, within the output directory
//     only: every path that shares a file's contents in the image (the
//     target's version when the link was written, as tar and overlay
//     resolve it; see tree.HardLinkTarget) is linked to the one file
//     written, which opens one file at a time however many links there
//     are. A link whose target is not extracted is written as a copy.
//   - Sparse files are written with their holes. A file larger than
//     [MaxFileSize] (its logical size) is refused unless [WithForce].
//   - Paths longer than 4096 bytes below the output directory and symlink
//     targets longer than 4095 are refused. Each path is written from its
//     directory, kept open (at most 64 at a time), so the cost of a path
//     does not grow with its depth.
//
// An error leaves behind what was written before it.
package extract
