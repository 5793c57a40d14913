package npz

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// The fixtures in testdata were written by numpy (testdata/make_fixtures.py).

func arangeF4() []float32 { // np.arange(24).reshape(2,3,4)*0.25-1.5
	d := make([]float32, 24)
	for i := range d {
		d[i] = float32(i)*0.25 - 1.5
	}
	return d
}

func arangeI8() []int64 { // np.arange(6).reshape(3,2)*(1<<40)-7
	d := make([]int64, 6)
	for i := range d {
		d[i] = int64(i)<<40 - 7
	}
	return d
}

// TestWriteNPYMatchesNumpy checks the writer against np.save byte for byte:
// header text, growth padding, 64-byte alignment and little-endian data.
func TestWriteNPYMatchesNumpy(t *testing.T) {
	tests := []struct {
		file  string
		write func(*bytes.Buffer) error
	}{
		{"f4_2x3x4.npy", func(b *bytes.Buffer) error { return WriteFloat32NPY(b, []int{2, 3, 4}, arangeF4()) }},
		{"i8_3x2.npy", func(b *bytes.Buffer) error { return WriteInt64NPY(b, []int{3, 2}, arangeI8()) }},
		{"f4_empty_0x5.npy", func(b *bytes.Buffer) error { return WriteFloat32NPY(b, []int{0, 5}, nil) }},
		{"f4_scalar.npy", func(b *bytes.Buffer) error { return WriteFloat32NPY(b, []int{}, []float32{2.5}) }},
		{"i8_1d_5.npy", func(b *bytes.Buffer) error { return WriteInt64NPY(b, []int{5}, []int64{-2, -1, 0, 1, 2}) }},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			want, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if err := tt.write(&got); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("bytes differ from numpy's\n got %q\nwant %q", got.Bytes(), want)
			}
		})
	}
}

func TestReadNPYFromNumpy(t *testing.T) {
	tests := []struct {
		file  string
		want  *Array
		error string // substring of the expected error, or ""
	}{
		{file: "f4_2x3x4.npy", want: &Array{Descr: DescrFloat32, Shape: []int{2, 3, 4}, Float32: arangeF4()}},
		{file: "f4_v2_2x3x4.npy", want: &Array{Descr: DescrFloat32, Shape: []int{2, 3, 4}, Float32: arangeF4()}},
		{file: "i8_3x2.npy", want: &Array{Descr: DescrInt64, Shape: []int{3, 2}, Int64: arangeI8()}},
		{file: "i8_1d_5.npy", want: &Array{Descr: DescrInt64, Shape: []int{5}, Int64: []int64{-2, -1, 0, 1, 2}}},
		{file: "f4_empty_0x5.npy", want: &Array{Descr: DescrFloat32, Shape: []int{0, 5}, Float32: []float32{}}},
		{file: "f4_scalar.npy", want: &Array{Descr: DescrFloat32, Shape: []int{}, Float32: []float32{2.5}}},
		{file: "f4_fortran_2x3.npy", error: "Fortran order"},
		{file: "f8_2.npy", error: "astype"},
		{file: "f4_bigendian_2.npy", error: "not supported"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, err := ReadNPY(f)
			if tt.error != "" {
				if err == nil || !strings.Contains(err.Error(), tt.error) {
					t.Fatalf("err = %v, want one containing %q", err, tt.error)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestReadNumpySavez(t *testing.T) {
	arrays, err := ReadFile(filepath.Join("testdata", "savez.npz"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]*Array{
		"f4": {Descr: DescrFloat32, Shape: []int{2, 3, 4}, Float32: arangeF4()},
		"i8": {Descr: DescrInt64, Shape: []int{3, 2}, Int64: arangeI8()},
	}
	if !reflect.DeepEqual(arrays, want) {
		t.Errorf("got %v, want %v", arrays, want)
	}
}

func TestParseHeaderErrors(t *testing.T) {
	for _, h := range []string{
		"",
		"{'descr': '<f4', 'fortran_order': False}",                // no shape
		"{'descr': '<f4', 'fortran_order': Maybe, 'shape': (2,)}", // bad bool
		"{'descr': '<f4', 'fortran_order': False, 'shape': (-1,)}",
		"{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}",
		"['descr']",
	} {
		if _, _, _, err := parseHeader(h); err == nil {
			t.Errorf("parseHeader(%q) accepted a malformed header", h)
		}
	}
}

func TestWriteNPYShapeMismatch(t *testing.T) {
	var b bytes.Buffer
	if err := WriteFloat32NPY(&b, []int{2, 3}, make([]float32, 5)); err == nil {
		t.Error("5 elements for shape [2 3] accepted")
	}
	if err := WriteInt64NPY(&b, []int{-1}, nil); err == nil {
		t.Error("negative dimension accepted")
	}
}
