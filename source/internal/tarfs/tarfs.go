package tarfs

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"syscall"

	"github.com/strata-dev/strata/internal/textsafe"
	"github.com/strata-dev/strata/source/internal/metadata"
)

// maxLinkDepth bounds how many links a lookup follows.
const maxLinkDepth = 16

type member struct {
	offset, size int64
	typ          byte
	link         string
}

// FS is an indexed tar file.
type FS struct {
	f       *os.File
	members map[string]member
}

// ErrNotTar says the file is not a tar archive.
var ErrNotTar = errors.New("not a tar archive")

// Open indexes the tar file at path. Only a regular file is opened: a
// named pipe or a device is refused before it is opened, and the file is
// opened without blocking, so that a pipe swapped in meanwhile cannot hang.
func Open(name string) (*FS, error) {
	st, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("it is %s, %w (strata reads an archive it can seek in)", metadata.Kind(st.Mode()), metadata.ErrNotRegular)
	}
	f, err := os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("it is not %w", metadata.ErrNotRegular)
	}
	fs := &FS{f: f, members: make(map[string]member)}
	if err := fs.index(); err != nil {
		f.Close()
		return nil, err
	}
	return fs, nil
}

func (fs *FS) index() error {
	tr := tar.NewReader(fs.f)
	last := ""
	for i := 0; ; i++ {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			if i == 0 {
				return fmt.Errorf("%w: no entries", ErrNotTar)
			}
			return nil
		}
		if err != nil {
			if i == 0 {
				return ErrNotTar
			}
			if errors.Is(err, io.ErrUnexpectedEOF) {
				return fmt.Errorf("the archive is truncated after entry %d (%s): %w", i, textsafe.Line(last), err)
			}
			return fmt.Errorf("reading archive entry %d: %w", i+1, err)
		}
		off, err := fs.f.Seek(0, io.SeekCurrent)
		if err != nil {
			return err
		}
		last = clean(hdr.Name)
		fs.members[last] = member{offset: off, size: hdr.Size, typ: hdr.Typeflag, link: hdr.Linkname}
	}
}

func clean(name string) string { return path.Clean("/" + name)[1:] }

// Has says whether the archive holds a member of that name.
func (fs *FS) Has(name string) bool {
	_, err := fs.lookup(name)
	return err == nil
}

func (fs *FS) lookup(name string) (member, error) {
	name = clean(name)
	for range maxLinkDepth {
		m, ok := fs.members[name]
		if !ok {
			return member{}, fmt.Errorf("%s: %w", textsafe.Line(name), os.ErrNotExist)
		}
		switch m.typ {
		case tar.TypeSymlink:
			name = clean(path.Join(path.Dir(name), m.link))
		case tar.TypeLink:
			name = clean(m.link)
		default:
			if m.typ != tar.TypeReg && m.typ != tar.TypeRegA {
				return member{}, fmt.Errorf("%s: %w", textsafe.Line(name), metadata.ErrNotRegular)
			}
			if st, err := fs.f.Stat(); err == nil && m.offset+m.size > st.Size() {
				return member{}, fmt.Errorf("%s: archive is truncated (%d of %d bytes present)", textsafe.Line(name), max(0, st.Size()-m.offset), m.size)
			}
			return m, nil
		}
	}
	return member{}, fmt.Errorf("%s: too many links", textsafe.Line(name))
}

// Size returns the size of a member.
func (fs *FS) Size(name string) (int64, error) {
	m, err := fs.lookup(name)
	return m.size, err
}

// Open returns a reader of one member, following links inside the archive.
// Readers of different members may be used concurrently.
func (fs *FS) Open(name string) (io.ReadCloser, error) {
	m, err := fs.lookup(name)
	if err != nil {
		return nil, err
	}
	return io.NopCloser(io.NewSectionReader(fs.f, m.offset, m.size)), nil
}

// ReadFile returns a whole member; limit bounds its size.
func (fs *FS) ReadFile(name string, limit int64) ([]byte, error) {
	m, err := fs.lookup(name)
	if err != nil {
		return nil, err
	}
	if m.size > limit {
		return nil, metadata.TooLarge(textsafe.Line(clean(name)), m.size, limit)
	}
	b := make([]byte, m.size)
	if _, err := fs.f.ReadAt(b, m.offset); err != nil {
		return nil, fmt.Errorf("reading %s: %w", textsafe.Line(name), err)
	}
	return b, nil
}

// Close closes the file.
func (fs *FS) Close() error { return fs.f.Close() }
