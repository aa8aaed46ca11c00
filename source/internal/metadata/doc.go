// Package metadata reads the small documents an image is described by —
// index.json and the indexes it nests, image manifests, configs, a
// docker-save manifest.json, oci-layout — as hostile input:
//
//   - every read has a size cap ([MaxManifest], [MaxConfig], ...), checked
//     against the file's size before reading and enforced while reading;
//   - a file is opened only if it is a regular file: a named pipe, a device
//     or a socket is refused before it is opened for reading, so a FIFO
//     cannot block and /dev/zero cannot fill memory; files are opened
//     inside an [os.Root], so a symlink that leads out of the layout
//     directory is refused too ([Open], [ReadFile]);
//   - a blob is checked against the digest and the size of the descriptor
//     that named it ([Verify]), whatever --verify says: it is cheap for
//     documents this small, and it is what makes the layers' diffIDs, which
//     come from the config, worth checking;
//   - an index is walked with each nested index read once, each image
//     listed once, and the number of descriptors and the depth bounded
//     ([Images]).
//
// Every error is one line that names the file or the blob.
package metadata
