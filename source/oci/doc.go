// Package oci reads images from OCI image layouts: a layout directory
// (read through ggcr's layout package) or an oci-archive, a tar of one.
// Nested indexes are followed and the image for the wanted platform is
// picked.
package oci
