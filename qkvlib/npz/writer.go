package npz

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/qkvport/qkv/internal/atomicfile"
	"github.com/qkvport/qkv/internal/directio"
)

// entryTime is the modification time of every entry: fixed, so that equal
// arrays give byte-identical files.
var entryTime = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// Writer writes arrays into a .npz archive, one entry "name.npy" per array.
// Arrays are written one at a time: an array begun with Float32Array or
// Int64Array must be closed before the next one starts. A Writer is not safe
// for concurrent use.
type Writer struct {
	zw    *zip.Writer
	names map[string]bool
	open  interface{ finish() error } // array being written, or nil
	err   error                       // first error; the archive is unusable after it
	done  bool

	// Set by Create only.
	file *atomicfile.File
	buf  *directio.Writer
}

// NewWriter returns a Writer that writes a .npz archive to w. Close finishes
// the archive but does not close w.
func NewWriter(w io.Writer) *Writer {
	return &Writer{zw: zip.NewWriter(w), names: map[string]bool{}}
}

// Create returns a Writer to the file path. It writes to a temporary file in
// the same folder and renames it to path on Close, so path is either absent
// (or unchanged) or complete. Abort, or a failed Close, removes the temporary
// file.
func Create(path string) (*Writer, error) {
	f, err := atomicfile.Create(path)
	if err != nil {
		return nil, fmt.Errorf("npz: %w", err)
	}
	buf := directio.NewWriter(f.File) // past the page cache where allowed: see internal/directio
	w := NewWriter(buf)
	w.file, w.buf = f, buf
	return w, nil
}

// WriteFloat32 writes a whole float32 array as entry name+".npy".
// data: row-major, len(data) = product of shape.
func (w *Writer) WriteFloat32(name string, shape []int, data []float32) error {
	a, err := w.Float32Array(name, shape)
	if err != nil {
		return err
	}
	if err := a.Write(data); err != nil {
		return err
	}
	return a.Close()
}

// WriteInt64 writes a whole int64 array as entry name+".npy".
// data: row-major, len(data) = product of shape.
func (w *Writer) WriteInt64(name string, shape []int, data []int64) error {
	a, err := w.Int64Array(name, shape)
	if err != nil {
		return err
	}
	if err := a.Write(data); err != nil {
		return err
	}
	return a.Close()
}

// Float32Array begins the float32 array name with the given shape and returns
// it for writing in pieces: successive Write calls append elements in
// row-major order, and Close checks that exactly product(shape) were written.
func (w *Writer) Float32Array(name string, shape []int) (*Float32Array, error) {
	a, err := begin[float32](w, name, DescrFloat32, shape)
	if err != nil {
		return nil, err
	}
	return &Float32Array{a}, nil
}

// Int64Array begins the int64 array name with the given shape; see
// Float32Array.
func (w *Writer) Int64Array(name string, shape []int) (*Int64Array, error) {
	a, err := begin[int64](w, name, DescrInt64, shape)
	if err != nil {
		return nil, err
	}
	return &Int64Array{a}, nil
}

// Float32Array is a float32 array being written in pieces.
type Float32Array struct{ a *array[float32] }

// Write appends data, the next elements in row-major order.
func (a *Float32Array) Write(data []float32) error { return a.a.write(data) }

// Close ends the array; it fails when fewer or more elements than the shape
// holds were written.
func (a *Float32Array) Close() error { return a.a.finish() }

// Int64Array is an int64 array being written in pieces.
type Int64Array struct{ a *array[int64] }

// Write appends data, the next elements in row-major order.
func (a *Int64Array) Write(data []int64) error { return a.a.write(data) }

// Close ends the array; see Float32Array.Close.
func (a *Int64Array) Close() error { return a.a.finish() }

type array[T elem] struct {
	w       *Writer
	name    string
	shape   []int
	want    int
	written int
	ew      io.Writer
	scratch []byte
	closed  bool
}

func begin[T elem](w *Writer, name, descr string, shape []int) (*array[T], error) {
	switch {
	case w.err != nil:
		return nil, w.err
	case w.done:
		return nil, errors.New("npz: writer is closed")
	case w.open != nil:
		return nil, fmt.Errorf("npz: array %q: the previous array is still open; Close it first", name)
	case name == "":
		return nil, errors.New("npz: empty array name")
	case w.names[name]:
		return nil, fmt.Errorf("npz: array %q written twice", name)
	}
	n, err := numElements(shape)
	if err != nil {
		return nil, fmt.Errorf("npz: array %q: %w", name, err)
	}
	ew, err := w.zw.CreateHeader(&zip.FileHeader{Name: name + ".npy", Method: zip.Store, Modified: entryTime})
	if err != nil {
		return nil, w.fail(fmt.Errorf("npz: array %q: %w", name, err))
	}
	if _, err := ew.Write(npyHeader(descr, shape)); err != nil {
		return nil, w.fail(fmt.Errorf("npz: array %q: writing header: %w", name, err))
	}
	w.names[name] = true
	a := &array[T]{w: w, name: name, shape: append([]int(nil), shape...), want: n, ew: ew}
	w.open = a
	return a, nil
}

func (a *array[T]) write(data []T) error {
	if a.w.err != nil {
		return a.w.err
	}
	if a.closed {
		return fmt.Errorf("npz: array %q is closed", a.name)
	}
	if a.written+len(data) > a.want {
		return a.w.fail(fmt.Errorf("npz: array %q of shape %v holds %d elements; writing %d more after %d", a.name, a.shape, a.want, len(data), a.written))
	}
	if err := writeElems(a.ew, data, &a.scratch); err != nil {
		return a.w.fail(fmt.Errorf("npz: array %q: %w", a.name, err))
	}
	a.written += len(data)
	return nil
}

func (a *array[T]) finish() error {
	if a.closed {
		return nil
	}
	a.closed = true
	a.w.open = nil
	if a.w.err != nil {
		return a.w.err
	}
	if a.written != a.want {
		return a.w.fail(fmt.Errorf("npz: array %q of shape %v holds %d elements, only %d were written", a.name, a.shape, a.want, a.written))
	}
	return nil
}

// fail records the first error; after it the archive cannot be completed.
func (w *Writer) fail(err error) error {
	if w.err == nil {
		w.err = err
	}
	return err
}

// Close finishes the archive. For a Writer from Create it also flushes, syncs
// and renames the temporary file to its path; on any error the temporary file
// is removed and the path is left as it was. An array still open, or one
// written short, is an error.
func (w *Writer) Close() error {
	if w.done {
		return w.err
	}
	w.done = true
	if w.open != nil {
		if err := w.open.finish(); err != nil {
			w.fail(err)
		}
	}
	if w.err == nil {
		if err := w.zw.Close(); err != nil {
			w.fail(fmt.Errorf("npz: finishing archive: %w", err))
		}
	}
	if w.file == nil {
		return w.err
	}
	if w.err == nil {
		if err := w.buf.Flush(); err != nil {
			w.fail(fmt.Errorf("npz: writing %s: %w", w.file.Path(), err))
		}
	}
	if w.err != nil {
		w.file.Abort()
	} else if err := w.file.Commit(); err != nil {
		w.fail(fmt.Errorf("npz: %w", err))
	}
	return w.err
}

// Abort abandons the archive. For a Writer from Create it removes the
// temporary file, leaving path as it was. Abort after Close does nothing.
func (w *Writer) Abort() error {
	if w.done {
		return nil
	}
	w.done = true
	w.fail(errors.New("npz: writer aborted"))
	if w.file == nil {
		return nil
	}
	if err := w.file.Abort(); err != nil {
		return fmt.Errorf("npz: %w", err)
	}
	return nil
}
