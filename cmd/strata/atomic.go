package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
)

// writeFileAtomic writes a file through a temporary file in the same
// directory and renames it into place; on any error nothing is left.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	f, err := createAtomic(path)
	if err != nil {
		return err
	}
	if err := write(f.W); err != nil {
		f.abort()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return f.commit()
}

// atomicFile is a file being written through a temporary file in the same
// directory, renamed into place by commit; until then readers see nothing
// of it, and abort leaves nothing behind.
type atomicFile struct {
	path string
	tmp  *os.File
	W    *bufio.Writer // what to write to

	mu   sync.Mutex
	done bool // committed or aborted
}

func createAtomic(path string) (*atomicFile, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("writing %s: %w", path, bare(err))
	}
	return &atomicFile{path: path, tmp: tmp, W: bufio.NewWriterSize(tmp, 1<<20)}, nil
}

// commit flushes the file and renames it into place.
func (f *atomicFile) commit() (err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.done {
		return fmt.Errorf("writing %s: %w", f.path, os.ErrClosed)
	}
	f.done = true
	defer func() {
		if err != nil {
			f.tmp.Close()
			os.Remove(f.tmp.Name())
			err = fmt.Errorf("writing %s: %w", f.path, bare(err))
		}
	}()
	if err := f.W.Flush(); err != nil {
		return err
	}
	if err := f.tmp.Chmod(0o644); err != nil {
		return err
	}
	if err := f.tmp.Close(); err != nil {
		return err
	}
	return os.Rename(f.tmp.Name(), f.path)
}

// abort removes the temporary file, unless commit came first. It may be
// called from any goroutine, any number of times.
func (f *atomicFile) abort() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.done {
		return
	}
	f.done = true
	f.tmp.Close()
	os.Remove(f.tmp.Name())
}

// bare drops the paths an *os.PathError or *os.LinkError names, which are
// the temporary file's, so that messages name only the path the user gave.
func bare(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
