package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"syscall"
)

// writeFileAtomic writes a file through createAtomic: into a temporary
// file renamed into place where the path allows it, straight into a pipe
// or a device; on any error nothing is left.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	f, err := createAtomic(path)
	if err != nil {
		return err
	}
	return f.writeAll(write)
}

// writeAll writes the whole file with write and commits it, or aborts
// it when write fails.
func (f *atomicFile) writeAll(write func(io.Writer) error) error {
	if err := write(f.W); err != nil {
		f.abort()
		return fmt.Errorf("writing %s: %w", f.path, err)
	}
	return f.commit()
}

// outputTarget is where a report given a path goes, decided from what
// the path is before anything is written:
//
//   - a new path or a regular file: a temporary file beside it, renamed
//     onto it once complete (readers never see half a report, and a failed
//     run leaves nothing);
//   - a symlink: the same, onto the file it leads to (a regular file or a
//     new path), so the symlink stays; a symlink to a pipe or a device is
//     written through;
//   - a named pipe, a character device (/dev/null, a terminal) or
//     /dev/fd/N, /dev/stdout and their /proc forms (as `--json >(jq .)`
//     passes): written straight into, never replaced;
//   - a directory, a block device or a socket: refused.
type outputTarget struct {
	path     string // as the user gave it
	target   string // the file renamed onto, or removed as stale; where path's symlinks lead
	straight bool   // write into path as it is
}

// maxLinks bounds how many symlinks resolveOutput follows.
const maxLinks = 40

// fdPath matches the paths of an open file descriptor: /dev/fd/N,
// /dev/stdout, /dev/stderr, /proc/self/fd/N, /proc/<pid>/fd/N.
var fdPath = regexp.MustCompile(`^(/dev/fd/[0-9]+|/dev/std(out|err)|/proc/(self|thread-self|[0-9]+)/fd/[0-9]+)$`)

// resolveOutput decides where a report for path goes.
func resolveOutput(path string) (outputTarget, error) {
	out := outputTarget{path: path, target: path}
	if fdPath.MatchString(filepath.Clean(path)) {
		st, err := os.Stat(path)
		if err != nil {
			return out, fmt.Errorf("writing %s: %w", path, bare(err))
		}
		if st.IsDir() {
			return out, fmt.Errorf("%s is a directory", path)
		}
		out.straight = true
		return out, nil
	}
	st, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return out, nil
	case err != nil:
		return out, fmt.Errorf("writing %s: %w", path, bare(err))
	case st.Mode()&fs.ModeSymlink != 0:
		if out.target, err = followLinks(path); err != nil {
			return out, fmt.Errorf("writing %s: %w", path, err)
		}
		if st, err = os.Stat(out.target); errors.Is(err, fs.ErrNotExist) {
			return out, nil
		} else if err != nil {
			return out, fmt.Errorf("writing %s: %w", path, bare(err))
		}
	}
	switch m := st.Mode(); {
	case m.IsRegular():
		return out, nil
	case m.IsDir():
		return out, fmt.Errorf("%s is a directory", path)
	case m&fs.ModeNamedPipe != 0, m&fs.ModeCharDevice != 0:
		out.straight = true
		return out, nil
	case m&fs.ModeDevice != 0:
		return out, fmt.Errorf("%s is a block device; strata writes a report to a file, a pipe or a character device", path)
	case m&fs.ModeSocket != 0:
		return out, fmt.Errorf("%s is a socket; strata writes a report to a file, a pipe or a character device", path)
	}
	return out, fmt.Errorf("%s is not a file strata can write a report to", path)
}

// followLinks returns where the symlink path leads, following symlinks
// until a path that is not one, which may not exist yet.
func followLinks(path string) (string, error) {
	for range maxLinks {
		link, err := os.Readlink(path)
		if err != nil {
			if errors.Is(err, syscall.EINVAL) || errors.Is(err, fs.ErrNotExist) {
				return path, nil // not a symlink, or nothing there
			}
			return "", bare(err)
		}
		if !filepath.IsAbs(link) {
			// Relative to the directory the link is in, reached the way
			// the kernel reaches it: "..", after a symlinked directory,
			// goes up from where that leads.
			dir, err := filepath.EvalSymlinks(filepath.Dir(path))
			if err != nil {
				return "", bare(err)
			}
			link = filepath.Join(dir, link)
		}
		path = link
	}
	return "", fmt.Errorf("more than %d symlinks", maxLinks)
}

// atomicFile is a report being written: through a temporary file in the
// directory of its target, renamed into place by commit, so that until
// then readers see nothing of it and abort leaves nothing behind; or,
// for a pipe or a device, straight into it.
type atomicFile struct {
	path  string
	out   outputTarget
	f     *os.File
	start int64         // a straight write's starting size, for abort to cut back to
	W     *bufio.Writer // what to write to

	mu   sync.Mutex
	done bool // committed or aborted
}

func createAtomic(path string) (*atomicFile, error) {
	out, err := resolveOutput(path)
	if err != nil {
		return nil, err
	}
	af := &atomicFile{path: path, out: out}
	if out.straight {
		// O_APPEND: a shell's `3>>file` behind /dev/fd/3 is appended to,
		// `3>file` was emptied by the shell; pipes and devices ignore it.
		if af.f, err = os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0); err != nil {
			return nil, fmt.Errorf("writing %s: %w", path, bare(err))
		}
		if st, err := af.f.Stat(); err == nil && st.Mode().IsRegular() {
			af.start = st.Size()
		}
	} else {
		dir, base := filepath.Split(out.target)
		if af.f, err = os.CreateTemp(dir, "."+base+".*.tmp"); err != nil {
			return nil, fmt.Errorf("writing %s: %w", path, bare(err))
		}
	}
	af.W = bufio.NewWriterSize(af.f, 1<<20)
	return af, nil
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
			f.discardLocked()
			err = fmt.Errorf("writing %s: %w", f.path, bare(err))
		}
	}()
	if err := f.W.Flush(); err != nil {
		return err
	}
	if f.out.straight {
		return f.f.Close()
	}
	if err := f.f.Chmod(0o644); err != nil {
		return err
	}
	if err := f.f.Close(); err != nil {
		return err
	}
	return os.Rename(f.f.Name(), f.out.target)
}

// abort removes the temporary file, unless commit came first. Of a
// straight write into a regular file (/dev/fd/N) it cuts off what was
// written; what went into a pipe or a device cannot be taken back. It may
// be called from any goroutine, any number of times.
func (f *atomicFile) abort() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.done {
		return
	}
	f.done = true
	f.discardLocked()
}

func (f *atomicFile) discardLocked() {
	if !f.out.straight {
		f.f.Close()
		os.Remove(f.f.Name())
		return
	}
	if st, err := f.f.Stat(); err == nil && st.Mode().IsRegular() {
		f.f.Truncate(f.start)
	}
	f.f.Close()
}

// releaseTarget unlinks the regular file that commit would rename the
// report onto, and lets go of it on a goroutine of its own. The report's
// commands call it as they start: a run that fails removes the old report
// (see removeStale) and one that succeeds replaces it, so it is gone
// either way. Freeing an 87 MB file's pages and blocks takes the kernel
// 40-60 ms; left to the rename, those come after the analysis, when
// nothing else runs. A target that cannot be opened, or that changed
// between the open and the unlink, is left to the rename.
func (f *atomicFile) releaseTarget() {
	if f.out.straight {
		return
	}
	old, err := os.OpenFile(f.out.target, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	if err != nil {
		return
	}
	held, err := old.Stat()
	if err != nil || !held.Mode().IsRegular() {
		old.Close()
		return
	}
	if now, err := os.Lstat(f.out.target); err == nil && os.SameFile(held, now) {
		os.Remove(f.out.target)
	}
	// The last reference to an unlinked file frees it: here, not in the
	// rename at the end.
	go old.Close()
}

// removeStale removes the report an earlier run left where path leads,
// so that a failed run never leaves a stale report behind. Only a regular
// file is removed: never a pipe, a device, a /dev/fd/N or a symlink
// itself.
func removeStale(path string) {
	out, err := resolveOutput(path)
	if err != nil || out.straight {
		return
	}
	if st, err := os.Lstat(out.target); err == nil && st.Mode().IsRegular() {
		os.Remove(out.target)
	}
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
