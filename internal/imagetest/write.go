package imagetest

import (
	"archive/tar"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// WriteDockerArchive writes img to path as a `docker save` style tarball
// (manifest.json, config and layer blobs) tagged tag, e.g. "demo:latest".
// An empty tag writes the image without RepoTags.
func WriteDockerArchive(path string, img v1.Image, tag string) error {
	var ref name.Reference
	if tag == "" {
		d, err := img.Digest()
		if err != nil {
			return fmt.Errorf("computing image digest: %w", err)
		}
		if ref, err = name.NewDigest("untagged.invalid/image@" + d.String()); err != nil {
			return fmt.Errorf("making digest reference: %w", err)
		}
	} else {
		t, err := name.NewTag(tag)
		if err != nil {
			return fmt.Errorf("parsing tag %q: %w", tag, err)
		}
		ref = t
	}
	if err := tarball.MultiRefWriteToFile(path, map[name.Reference]v1.Image{ref: img}); err != nil {
		return fmt.Errorf("writing docker archive %s: %w", path, err)
	}
	return nil
}

// WriteOCILayout writes idx as an OCI image layout in dir: oci-layout,
// index.json listing idx's manifests, and blobs/sha256/.
func WriteOCILayout(dir string, idx v1.ImageIndex) error {
	if _, err := layout.Write(dir, idx); err != nil {
		return fmt.Errorf("writing oci layout %s: %w", dir, err)
	}
	return nil
}

// WriteOCIArchive writes idx to path as a tar of an OCI image layout
// (oci-layout, index.json, blobs/sha256/...), with no manifest.json. Entries
// are sorted and carry fixed times, so the archive is deterministic.
func WriteOCIArchive(path string, idx v1.ImageIndex) (err error) {
	dir, err := os.MkdirTemp("", "imagetest-oci-")
	if err != nil {
		return fmt.Errorf("creating staging dir: %w", err)
	}
	defer os.RemoveAll(dir)
	if err := WriteOCILayout(dir, idx); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("creating oci archive: %w", err)
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("closing oci archive: %w", cerr)
		}
	}()
	tw := tar.NewWriter(f)
	if err := tarDir(tw, dir); err != nil {
		return fmt.Errorf("writing oci archive %s: %w", path, err)
	}
	if err := tw.Close(); err != nil {
		return fmt.Errorf("finishing oci archive %s: %w", path, err)
	}
	return nil
}

// tarDir adds the tree under root to tw in lexical order.
func tarDir(tw *tar.Writer, root string) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == root {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		hdr := &tar.Header{Name: filepath.ToSlash(rel), ModTime: epoch(), Mode: 0o644, Typeflag: tar.TypeReg}
		if d.IsDir() {
			hdr.Name += "/"
			hdr.Mode = 0o755
			hdr.Typeflag = tar.TypeDir
			return tw.WriteHeader(hdr)
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		hdr.Size = info.Size()
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		return copyFile(tw, p)
	})
}

func copyFile(w io.Writer, p string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}
