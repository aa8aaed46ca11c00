package source

import "github.com/strata-dev/strata/internal/textsafe"

// safeError is an error whose text is one line with nothing in it a
// terminal would act on, whatever the image put in the parts of it that
// come from the image. It wraps the error it was made from, so errors.Is
// and errors.As see through it.
type safeError struct {
	msg string
	err error
}

func (e *safeError) Error() string { return e.msg }
func (e *safeError) Unwrap() error { return e.err }

// maxMessage bounds an error's text, in terminal cells: a parser may quote
// a whole field of the input (a 4 MiB "digest"), and one line stays
// readable.
const maxMessage = 2000

// oneSafeLine makes err's text safe for a terminal: the sources escape
// what they take from an image with textsafe.Line, and this catches what
// they did not (a parser's message quoting a byte of the input) without
// escaping twice what they did. It cuts the text to maxMessage cells.
func oneSafeLine(err error) error {
	msg := textsafe.Truncate(textsafe.Message(err.Error()), maxMessage)
	if msg == err.Error() {
		return err
	}
	return &safeError{msg: msg, err: err}
}
