package npz

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// The .npy descriptors written and read by this package.
const (
	DescrFloat32 = "<f4"
	DescrInt64   = "<i8"
)

const (
	npyMagic   = "\x93NUMPY"
	npyAlign   = 64        // numpy's ARRAY_ALIGN
	npyMaxV1   = 1<<16 - 1 // largest header length a version 1.0 file can hold
	maxHeaderB = 1 << 20   // refuse absurd headers when reading

	growthDigits = 21 // numpy's GROWTH_AXIS_MAX_DIGITS
)

// numElements returns the product of shape, checking every dimension is >= 0.
func numElements(shape []int) (int, error) {
	n := 1
	for _, d := range shape {
		if d < 0 {
			return 0, fmt.Errorf("npz: negative dimension in shape %v", shape)
		}
		if d != 0 && n > int(^uint(0)>>1)/d {
			return 0, fmt.Errorf("npz: shape %v has too many elements", shape)
		}
		n *= d
	}
	return n, nil
}

// npyHeader returns the full .npy header (magic, version, length, dict and
// padding) for an array of the given descriptor and shape, in the form numpy
// writes: "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
// space-padded and ended by '\n' so that the data starts at a multiple of 64.
func npyHeader(descr string, shape []int) []byte {
	var dict strings.Builder
	dict.WriteString("{'descr': '")
	dict.WriteString(descr)
	dict.WriteString("', 'fortran_order': False, 'shape': (")
	for i, d := range shape {
		if i > 0 {
			dict.WriteString(", ")
		}
		dict.WriteString(strconv.Itoa(d))
	}
	if len(shape) == 1 {
		dict.WriteString(",")
	}
	dict.WriteString("), }")
	if len(shape) > 0 {
		// numpy leaves room for the first dimension to grow in place to 21
		// digits (GROWTH_AXIS_MAX_DIGITS); copy it so headers match byte for byte.
		dict.WriteString(strings.Repeat(" ", max(0, growthDigits-len(strconv.Itoa(shape[0])))))
	}

	build := func(prefix int) []byte {
		hlen := dict.Len() + 1 // + '\n'
		// As numpy's _wrap_header: 1 to 64 spaces (64, not 0, when the
		// unpadded header already ends on a boundary).
		pad := npyAlign - (prefix+hlen)%npyAlign
		hlen += pad
		var b bytes.Buffer
		b.WriteString(npyMagic)
		if prefix == 10 {
			b.Write([]byte{1, 0})
			b.Write(binary.LittleEndian.AppendUint16(nil, uint16(hlen)))
		} else {
			b.Write([]byte{2, 0})
			b.Write(binary.LittleEndian.AppendUint32(nil, uint32(hlen)))
		}
		b.WriteString(dict.String())
		b.WriteString(strings.Repeat(" ", pad))
		b.WriteByte('\n')
		return b.Bytes()
	}
	if h := build(10); len(h)-10 <= npyMaxV1 {
		return h
	}
	return build(12)
}

// WriteFloat32NPY writes one .npy file holding data with the given shape.
// data: row-major, len(data) = product of shape.
func WriteFloat32NPY(w io.Writer, shape []int, data []float32) error {
	return writeNPY(w, DescrFloat32, shape, data)
}

// WriteInt64NPY writes one .npy file holding data with the given shape.
// data: row-major, len(data) = product of shape.
func WriteInt64NPY(w io.Writer, shape []int, data []int64) error {
	return writeNPY(w, DescrInt64, shape, data)
}

func writeNPY[T elem](w io.Writer, descr string, shape []int, data []T) error {
	n, err := numElements(shape)
	if err != nil {
		return err
	}
	if n != len(data) {
		return fmt.Errorf("npz: shape %v holds %d elements, data has %d", shape, n, len(data))
	}
	if _, err := w.Write(npyHeader(descr, shape)); err != nil {
		return fmt.Errorf("npz: writing header: %w", err)
	}
	var scratch []byte
	if err := writeElems(w, data, &scratch); err != nil {
		return fmt.Errorf("npz: writing data: %w", err)
	}
	return nil
}

// Array is an array read from a .npy file. Exactly one of Float32 and Int64 is
// set, according to Descr; both are row-major with len = product of Shape.
type Array struct {
	Descr   string // DescrFloat32 or DescrInt64
	Shape   []int
	Float32 []float32
	Int64   []int64
}

// ReadNPY reads one .npy file (version 1.0, 2.0 or 3.0) holding a
// little-endian float32 or int64 array in C order.
func ReadNPY(r io.Reader) (*Array, error) {
	var pre [8]byte
	if _, err := io.ReadFull(r, pre[:]); err != nil {
		return nil, fmt.Errorf("npz: reading .npy magic: %w", err)
	}
	if string(pre[:6]) != npyMagic {
		return nil, fmt.Errorf("npz: not a .npy file (bad magic %q)", pre[:6])
	}
	var hlen int
	switch pre[6] {
	case 1:
		var b [2]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return nil, fmt.Errorf("npz: reading .npy header length: %w", err)
		}
		hlen = int(binary.LittleEndian.Uint16(b[:]))
	case 2, 3:
		var b [4]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return nil, fmt.Errorf("npz: reading .npy header length: %w", err)
		}
		hlen = int(binary.LittleEndian.Uint32(b[:]))
	default:
		return nil, fmt.Errorf("npz: unsupported .npy version %d.%d", pre[6], pre[7])
	}
	if hlen > maxHeaderB {
		return nil, fmt.Errorf("npz: .npy header of %d bytes is too large", hlen)
	}
	hdr := make([]byte, hlen)
	if _, err := io.ReadFull(r, hdr); err != nil {
		return nil, fmt.Errorf("npz: reading .npy header: %w", err)
	}
	descr, fortran, shape, err := parseHeader(string(hdr))
	if err != nil {
		return nil, err
	}
	if fortran {
		return nil, fmt.Errorf("npz: array is in Fortran order; save np.ascontiguousarray(a) instead")
	}
	n, err := numElements(shape)
	if err != nil {
		return nil, err
	}
	a := &Array{Descr: descr, Shape: shape}
	switch descr {
	case DescrFloat32:
		a.Float32 = make([]float32, n)
		err = readElems(r, a.Float32)
	case DescrInt64:
		a.Int64 = make([]int64, n)
		err = readElems(r, a.Int64)
	default:
		return nil, fmt.Errorf("npz: dtype %q is not supported (only %q and %q); convert with a.astype('<f4') or a.astype('<i8')", descr, DescrFloat32, DescrInt64)
	}
	if err != nil {
		return nil, fmt.Errorf("npz: reading %v %s data: %w", shape, descr, err)
	}
	return a, nil
}

// parseHeader parses numpy's header dict, a Python literal such as
// "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }".
func parseHeader(h string) (descr string, fortran bool, shape []int, err error) {
	bad := func(what string) error {
		return fmt.Errorf("npz: malformed .npy header (%s): %q", what, h)
	}
	s := strings.TrimSpace(h)
	if !strings.HasPrefix(s, "{") || !strings.HasSuffix(s, "}") {
		return "", false, nil, bad("not a dict")
	}
	s = s[1 : len(s)-1]
	seen := map[string]bool{}
	for {
		s = strings.TrimLeft(s, " ,")
		if s == "" {
			break
		}
		if s[0] != '\'' && s[0] != '"' {
			return "", false, nil, bad("key")
		}
		end := strings.IndexByte(s[1:], s[0])
		if end < 0 {
			return "", false, nil, bad("key")
		}
		key := s[1 : 1+end]
		s = strings.TrimLeft(s[end+2:], " ")
		if !strings.HasPrefix(s, ":") {
			return "", false, nil, bad("colon")
		}
		s = strings.TrimLeft(s[1:], " ")
		seen[key] = true
		switch key {
		case "descr":
			if s == "" || (s[0] != '\'' && s[0] != '"') {
				return "", false, nil, bad("descr")
			}
			end := strings.IndexByte(s[1:], s[0])
			if end < 0 {
				return "", false, nil, bad("descr")
			}
			descr = s[1 : 1+end]
			s = s[end+2:]
		case "fortran_order":
			switch {
			case strings.HasPrefix(s, "True"):
				fortran, s = true, s[4:]
			case strings.HasPrefix(s, "False"):
				fortran, s = false, s[5:]
			default:
				return "", false, nil, bad("fortran_order")
			}
		case "shape":
			if !strings.HasPrefix(s, "(") {
				return "", false, nil, bad("shape")
			}
			end := strings.IndexByte(s, ')')
			if end < 0 {
				return "", false, nil, bad("shape")
			}
			shape = []int{}
			for _, f := range strings.Split(s[1:end], ",") {
				f = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(f), "L"))
				if f == "" {
					continue
				}
				d, err := strconv.Atoi(f)
				if err != nil || d < 0 {
					return "", false, nil, bad("shape")
				}
				shape = append(shape, d)
			}
			s = s[end+1:]
		default:
			return "", false, nil, bad("unknown key " + key)
		}
	}
	if !seen["descr"] || !seen["fortran_order"] || !seen["shape"] {
		return "", false, nil, bad("missing key")
	}
	return descr, fortran, shape, nil
}
