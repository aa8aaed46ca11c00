package metadata

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// layoutDir is a directory holding a regular file, a symlink to it, a
// symlink out of the directory, a named pipe, a subdirectory, a sparse
// file of 1 GiB and, as root, a character device node.
func layoutDir(t *testing.T) *os.Root {
	t.Helper()
	dir := t.TempDir()
	outside := filepath.Join(t.TempDir(), "secret")
	must(t, os.WriteFile(outside, []byte("outside"), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "file"), []byte(`{"ok":true}`), 0o644))
	must(t, os.Symlink("file", filepath.Join(dir, "link")))
	must(t, os.Symlink(outside, filepath.Join(dir, "out")))
	must(t, os.Symlink("../../../../../../../dev/zero", filepath.Join(dir, "zero")))
	must(t, os.Symlink("/dev/zero", filepath.Join(dir, "abszero")))
	must(t, syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644))
	must(t, os.Mkdir(filepath.Join(dir, "sub"), 0o755))
	must(t, os.Symlink("..", filepath.Join(dir, "sub", "up")))
	f, err := os.Create(filepath.Join(dir, "sparse"))
	must(t, err)
	must(t, f.Truncate(1<<30))
	f.Close()
	if os.Geteuid() == 0 {
		// The device numbers of /dev/zero: 1, 5.
		must(t, syscall.Mknod(filepath.Join(dir, "dev"), syscall.S_IFCHR|0o644, 1<<8|5))
	}
	root, err := os.OpenRoot(dir)
	must(t, err)
	t.Cleanup(func() { root.Close() })
	return root
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestReadFile(t *testing.T) {
	root := layoutDir(t)
	for _, tt := range []struct {
		name string
		is   error  // what errors.Is must match; nil: no error
		says string // what the message must say
	}{
		{"file", nil, ""},
		{"link", nil, ""},
		{"sub/up/file", nil, ""},
		{"out", ErrEscapes, "out leads out of the layout directory"},
		{"zero", ErrEscapes, "zero leads out"},
		{"abszero", ErrEscapes, "abszero leads out"},
		{"../file", ErrEscapes, "leads out"},
		{"fifo", ErrNotRegular, "fifo is a named pipe, not a regular file"},
		{"sub", ErrNotRegular, "sub is a directory"},
		{"dev", ErrNotRegular, "dev is a character device"},
		{"sparse", ErrTooLarge, "sparse is 1.0 GiB, over the 4.0 MiB cap"},
		{"missing", fs.ErrNotExist, "missing: file does not exist"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "dev" && os.Geteuid() != 0 {
				t.Skip("making a device node needs root")
			}
			start := time.Now()
			b, err := ReadFile(root, tt.name, MaxManifest)
			if took := time.Since(start); took > 2*time.Second {
				t.Errorf("took %s", took)
			}
			if tt.is == nil {
				if err != nil || string(b) != `{"ok":true}` {
					t.Errorf("got %q, %v", b, err)
				}
				return
			}
			if !errors.Is(err, tt.is) || !strings.Contains(err.Error(), tt.says) {
				t.Errorf("error %v; want one that is %v and says %q", err, tt.is, tt.says)
			}
		})
	}
}

func TestReadAll(t *testing.T) {
	if _, err := ReadAll(strings.NewReader(strings.Repeat("x", 11)), "doc", 10); !errors.Is(err, ErrTooLarge) || err.Error() != "doc is over the 10 B cap" {
		t.Errorf("over the cap: %v", err)
	}
	if b, err := ReadAll(strings.NewReader(strings.Repeat("x", 10)), "doc", 10); err != nil || len(b) != 10 {
		t.Errorf("at the cap: %d bytes, %v", len(b), err)
	}
}
