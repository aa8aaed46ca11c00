// Package layerfile reads the files of one layer after the analysis: the
// contents the file viewer shows and the entries extraction writes. It
// decompresses the layer as the analysis does and sees its entries
// through the same filter, so the n-th entry it meets for a path is the
// n-th version of that path in the analysis's tree.
package layerfile
