//go:build !linux

package directio

import (
	"errors"
	"os"
)

func setDirect(*os.File, bool) error { return errors.ErrUnsupported }

func (w *Writer) tryBuffered(error) bool { return false }
