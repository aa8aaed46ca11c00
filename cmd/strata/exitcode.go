package main

// Exit codes, documented in README.md.
const (
	exitOK          = 0   // success; with --ci every rule passed
	exitRuleFailed  = 1   // with --ci: at least one rule failed
	exitError       = 2   // strata could not run: bad arguments, unreadable image
	exitInterrupted = 130 // stopped by SIGINT (ctrl+c)
	exitTerminated  = 143 // stopped by SIGTERM
)

// exitErr carries an exit code out of a command.
type exitErr struct {
	code int
	err  error // printed when not nil
}

func (e *exitErr) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}

func (e *exitErr) Unwrap() error { return e.err }
