package metadata

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"

	"github.com/dustin/go-humanize"
)

// Open opens the regular file name inside root for reading. Symlinks are
// followed only while they stay inside root. Anything but a regular file
// is refused before it is opened, and the file is opened without
// blocking, so that a named pipe swapped in meanwhile cannot hang the
// caller; what was opened is checked again.
func Open(root *os.Root, name string) (*os.File, error) {
	st, err := root.Stat(name)
	if err != nil {
		return nil, describe(name, err)
	}
	if err := regular(name, st.Mode()); err != nil {
		return nil, err
	}
	f, err := root.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, describe(name, err)
	}
	if st, err = f.Stat(); err != nil {
		f.Close()
		return nil, describe(name, err)
	}
	if err := regular(name, st.Mode()); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// Stat checks that name inside root is a regular file, as [Open] would,
// and returns its size.
func Stat(root *os.Root, name string) (int64, error) {
	st, err := root.Stat(name)
	if err != nil {
		return 0, describe(name, err)
	}
	return st.Size(), regular(name, st.Mode())
}

// ReadFile reads the regular file name inside root, refusing it when it
// is larger than limit bytes.
func ReadFile(root *os.Root, name string, limit int64) ([]byte, error) {
	f, err := Open(root, name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, describe(name, err)
	}
	if st.Size() > limit {
		return nil, TooLarge(name, st.Size(), limit)
	}
	return ReadAll(f, name, limit)
}

// ReadAll reads r to its end, failing when it holds more than limit bytes.
func ReadAll(r io.Reader, name string, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, bare(err))
	}
	if int64(len(b)) > limit {
		return nil, TooLarge(name, -1, limit)
	}
	return b, nil
}

// ErrTooLarge says a document is over its cap.
var ErrTooLarge = errors.New("over the cap on its size")

// TooLarge is the error for name, of size bytes (-1: unknown), over limit.
func TooLarge(name string, size, limit int64) error {
	if size < 0 {
		return &tooLarge{fmt.Sprintf("%s is over the %s cap", name, humanize.IBytes(uint64(limit)))}
	}
	return &tooLarge{fmt.Sprintf("%s is %s, over the %s cap", name, humanize.IBytes(uint64(size)), humanize.IBytes(uint64(limit)))}
}

// tooLarge is an error of kind ErrTooLarge.
type tooLarge struct{ msg string }

func (e *tooLarge) Error() string        { return e.msg }
func (e *tooLarge) Is(target error) bool { return target == ErrTooLarge }

// ErrNotRegular says a path is not a regular file.
var ErrNotRegular = errors.New("not a regular file")

func regular(name string, m fs.FileMode) error {
	if m.IsRegular() {
		return nil
	}
	return fmt.Errorf("%s is %s, %w", name, Kind(m), ErrNotRegular)
}

// Kind names what a file is: "a named pipe", "a directory", ...
func Kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m.IsDir():
		return "a directory"
	case m&fs.ModeSymlink != 0:
		return "a symlink"
	case m.IsRegular():
		return "a regular file"
	}
	return "a special file"
}

// ErrEscapes says a path leads out of the directory it was read in,
// through a symlink or "..".
var ErrEscapes = errors.New("leads out of the layout directory")

// describe turns what an os.Root answered into one line naming name.
func describe(name string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s: %w", name, fs.ErrNotExist)
	case escapes(err):
		return fmt.Errorf("%s %w (through a symlink or ..)", name, ErrEscapes)
	}
	return fmt.Errorf("%s: %w", name, bare(err))
}

// escapes says whether an os.Root refused a path for leaving the root.
// The standard library does not export that error, so its text is
// compared.
func escapes(err error) bool {
	var pe *fs.PathError
	return errors.As(err, &pe) && pe.Err.Error() == "path escapes from parent"
}

// bare drops the path an *fs.PathError repeats.
func bare(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
