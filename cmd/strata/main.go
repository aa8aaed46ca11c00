package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"sync"
	"syscall"
	"time"

	"github.com/strata-dev/strata/internal/arena"
	"github.com/strata-dev/strata/internal/textsafe"
)

func main() {
	// Collect garbage sooner than Go's default when the user has not said
	// otherwise: it keeps peak memory near 150 bytes of tree per file entry
	// plus headroom, for about 4% more CPU time.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(50)
	}
	env := &environment{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
	env.prepareHeap = sync.OnceFunc(func() { arena.AdviseHeap(heapAdvice) })
	os.Exit(runIn(env, os.Args[1:]))
}

// heapAdvice is how much of the heap to come main asks to have backed by
// huge pages before an analysis: about what one of 700k tar entries peaks
// at. An analysis that grows past it goes on in ordinary pages.
const heapAdvice = 256 << 20

// run is strata with its inputs and outputs as arguments, for tests.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	return runIn(&environment{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv}, args)
}

// runIn runs strata in env.
func runIn(env *environment, args []string) int {
	stderr := env.stderr
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	go func() {
		select {
		case s := <-sigs:
			cancel(signalError{s})
		case <-ctx.Done():
		}
	}()

	root := newRootCmd(env)
	root.SetArgs(args)
	done := make(chan error, 1)
	go func() {
		defer func() {
			// A bug must still end in one line and exit code 2.
			if r := recover(); r != nil {
				done <- fmt.Errorf("internal error: %v (please report this)", r)
			}
		}()
		done <- root.ExecuteContext(ctx)
	}()
	var err error
	select {
	case err = <-done:
	case <-ctx.Done():
		// A signal. A read blocked on a FIFO or a stalled file system
		// never sees the context, so wait only a moment for the command
		// to stop before answering ctrl+c and SIGTERM anyway.
		select {
		case err = <-done:
		case <-time.After(stopGrace):
			env.abort()
		}
	}
	if cause := context.Cause(ctx); cause != nil {
		var sig signalError
		if errors.As(cause, &sig) {
			fmt.Fprintf(stderr, "strata: interrupted\n")
			if sig.s == syscall.SIGTERM {
				return exitTerminated
			}
			return exitInterrupted
		}
	}
	if err == nil {
		return exitOK
	}
	var ee *exitErr
	if errors.As(err, &ee) {
		if ee.err != nil {
			printError(stderr, ee.err)
		}
		return ee.code
	}
	printError(stderr, err)
	return exitError
}

// stopGrace is how long run waits after a signal for the command to stop:
// short enough that strata answers a signal within a second, long enough
// for a load the context does stop to remove its temporary files.
const stopGrace = 500 * time.Millisecond

// printError writes an error as one line, with anything a terminal would
// act on escaped, whatever the parts that made it did.
func printError(w io.Writer, err error) {
	fmt.Fprintf(w, "strata: %s\n", textsafe.Message(err.Error()))
}

// warn writes a warning as one line, as printError does.
func warn(w io.Writer, format string, args ...any) {
	fmt.Fprintf(w, "strata: warning: %s\n", textsafe.Message(fmt.Sprintf(format, args...)))
}

type signalError struct{ s os.Signal }

func (e signalError) Error() string { return "interrupted by " + e.s.String() }

// environment is what commands read and write besides their flags.
type environment struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	// prepareHeap readies the process's heap for an analysis (see
	// arena.AdviseHeap), once; main sets it, and tests, which share their
	// process, leave it nil.
	prepareHeap func()

	mu      sync.Mutex
	aborted func() // what a command left behind that run removes when it gives up on it
}

// onAbort sets what run does when a signal came and the command did not
// stop within stopGrace: remove what a failed run must not leave behind.
func (e *environment) onAbort(f func()) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.aborted = f
}

func (e *environment) abort() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.aborted != nil {
		e.aborted()
	}
}
