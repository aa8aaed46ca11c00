// Package dockerarchive reads images from `docker save` tarballs: the
// classic layout (manifest.json and <id>/layer.tar) and the Docker 25+
// layout (manifest.json with blobs/sha256/...). The archive is indexed once
// and every layer is then read straight from the file.
package dockerarchive
