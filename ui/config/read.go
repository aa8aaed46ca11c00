package config

import (
	"errors"
	"io"
)

// readFull reads into b until it is full or the reader ends, and says how
// much it read.
func readFull(r io.Reader, b []byte) (int, error) {
	n, err := io.ReadFull(r, b)
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		err = nil
	}
	return n, err
}
