package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// TempMark is part of the name of every temporary file this package creates
// ("."+base+TempMark+random), so that cleaners and readers can skip them.
const TempMark = ".tmp-"

// File is a file being written under a temporary name in the destination's
// folder. Commit renames it into place; Abort removes it. Exactly one of the
// two should be called; calls after the first are no-ops.
type File struct {
	*os.File
	path string
	done bool
}

// Create starts writing path. The folder of path must exist. The file gets mode
// 0644 once committed.
func Create(path string) (*File, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+TempMark+"*")
	if err != nil {
		return nil, fmt.Errorf("writing %s: %w", path, err)
	}
	return &File{File: f, path: path}, nil
}

// Path returns the destination path.
func (f *File) Path() string { return f.path }

// Commit syncs and closes the temporary file and renames it to the destination.
// On error the temporary file is removed and the destination is unchanged.
func (f *File) Commit() error {
	if f.done {
		return nil
	}
	f.done = true
	err := f.Chmod(0o644)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), f.path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("writing %s: %w", f.path, err)
	}
	return nil
}

// Abort closes and removes the temporary file, leaving the destination as it was.
func (f *File) Abort() error {
	if f.done {
		return nil
	}
	f.done = true
	f.Close()
	if err := os.Remove(f.Name()); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("removing %s: %w", f.Name(), err)
	}
	return nil
}

// Write writes path with write, atomically: on any error the destination is left
// as it was and the error is returned, wrapped with the path.
func Write(path string, write func(io.Writer) error) error {
	f, err := Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Abort()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return f.Commit()
}

// WriteFile writes data to path atomically.
func WriteFile(path string, data []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}
