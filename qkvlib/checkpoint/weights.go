package checkpoint

import (
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unsafe"

	"github.com/qkvport/qkv/internal/mmap"
)

// Tensor is one weight as float32.
type Tensor struct {
	Name  string // canonical name, without "transformer."
	DType string // as stored: "F32", "F16" or "BF16"
	Shape []int
	// Data holds the values row-major, len = product of Shape. For an F32
	// tensor it is a view of the memory-mapped file: read-only (writing to
	// it faults) and invalid after Weights.Close. For F16 and BF16 it is a
	// fresh slice, converted on each Get.
	Data []float32
}

// Weights is an open GPT-2 checkpoint: its config and its memory-mapped
// model.safetensors. Get is safe for concurrent use; Close is not, and no
// Tensor.Data may be used after it.
type Weights struct {
	cfg     Config
	path    string
	file    []byte // the whole mapping
	release func() error
	data    []byte // the data section of file
	entries map[string]entry
	meta    map[string]string
}

// Open reads dir/config.json and memory-maps dir/model.safetensors. It checks
// that every weight the config implies is there with its shape, as float32,
// float16 or bfloat16; errors wrap ErrMismatch when the config does not match
// the weights and ErrCorrupt when the file is truncated or corrupt. Tensors
// the model does not use (lm_head.weight, attention mask buffers, any other)
// are not checked beyond their header entry.
func Open(dir string) (*Weights, error) {
	cfg, err := ReadConfig(filepath.Join(dir, "config.json"))
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, "model.safetensors")
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("checkpoint: opening the weights: %w", err)
	}
	defer f.Close() // the mapping outlives the descriptor
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("checkpoint: %w", err)
	}
	if fi.Size() < 8 {
		return nil, corrupt(path, "%d bytes, shorter than the 8-byte header length", fi.Size())
	}
	file, release, err := mmap.File(f, fi.Size())
	if err != nil {
		return nil, fmt.Errorf("checkpoint: mapping %s: %w", path, err)
	}
	w := &Weights{cfg: cfg, path: path, file: file, release: release}
	if w.entries, w.meta, w.data, err = parseHeader(path, file); err == nil {
		err = w.check()
	}
	if err != nil {
		release()
		return nil, err
	}
	return w, nil
}

// check verifies that every tensor the config implies is present with its
// shape and a float dtype.
func (w *Weights) check() error {
	cfgPath := filepath.Join(filepath.Dir(w.path), "config.json")
	for _, s := range w.cfg.TensorSpecs() {
		e, ok := w.entries[s.Name]
		if !ok {
			return fmt.Errorf("checkpoint: %s lacks tensor %s, which %s (%v) implies%s: %w",
				w.path, s.Name, cfgPath, w.cfg, w.layerHint(), ErrMismatch)
		}
		if !slices.Equal(e.shape, s.Shape) {
			return fmt.Errorf("checkpoint: tensor %s in %s has shape %v, %s (%v) implies %v: %w",
				e.stored, w.path, e.shape, cfgPath, w.cfg, s.Shape, ErrMismatch)
		}
		if !floatDType(e.dtype) {
			return fmt.Errorf("checkpoint: tensor %s in %s is %s: only F32, F16 and BF16 are supported (convert the checkpoint)", e.stored, w.path, e.dtype)
		}
	}
	return nil
}

// layerHint says how many blocks the file holds when that differs from the
// config.
func (w *Weights) layerHint() string {
	n := 0
	for name := range w.entries {
		if rest, ok := strings.CutPrefix(name, "h."); ok {
			if i, err := strconv.Atoi(rest[:max(0, strings.IndexByte(rest, '.'))]); err == nil && i+1 > n {
				n = i + 1
			}
		}
	}
	if n == w.cfg.NLayers {
		return ""
	}
	return fmt.Sprintf(" (the file holds %d blocks)", n)
}

func floatDType(d string) bool { return d == "F32" || d == "F16" || d == "BF16" }

// Config returns the checkpoint's config.
func (w *Weights) Config() Config { return w.cfg }

// Path returns the path of the model.safetensors file.
func (w *Weights) Path() string { return w.path }

// Metadata returns the file's __metadata__ (may be nil). Do not modify it.
func (w *Weights) Metadata() map[string]string { return w.meta }

// Names returns the canonical names of every tensor in the file, sorted,
// including those the model ignores.
func (w *Weights) Names() []string {
	names := make([]string, 0, len(w.entries))
	for n := range w.entries {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Get returns the tensor name (with or without "transformer.") as float32.
// An F32 tensor is a view of the mapping when it is 4-byte aligned there
// (always, for files safetensors writes), else a copy; F16 and BF16 tensors
// are converted into a new slice on every call.
func (w *Weights) Get(name string) (Tensor, error) {
	if w.file == nil {
		return Tensor{}, fmt.Errorf("checkpoint: Get(%q) after Close", name)
	}
	canon := strings.TrimPrefix(name, "transformer.")
	e, ok := w.entries[canon]
	if !ok {
		return Tensor{}, fmt.Errorf("checkpoint: %s has no tensor %s", w.path, name)
	}
	t := Tensor{Name: canon, DType: e.dtype, Shape: slices.Clone(e.shape)}
	raw := w.data[e.from:e.to]
	switch e.dtype {
	case "F32":
		n := len(raw) / 4
		if n > 0 && littleEndian() && uintptr(unsafe.Pointer(&raw[0]))%unsafe.Alignof(float32(0)) == 0 {
			t.Data = unsafe.Slice((*float32)(unsafe.Pointer(&raw[0])), n)
		} else {
			t.Data = make([]float32, n)
			for i := range t.Data {
				t.Data[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
			}
		}
	case "F16":
		t.Data = make([]float32, len(raw)/2)
		for i := range t.Data {
			t.Data[i] = f16ToF32(binary.LittleEndian.Uint16(raw[2*i:]))
		}
	case "BF16":
		t.Data = make([]float32, len(raw)/2)
		for i := range t.Data {
			t.Data[i] = bf16ToF32(binary.LittleEndian.Uint16(raw[2*i:]))
		}
	default:
		return Tensor{}, fmt.Errorf("checkpoint: tensor %s in %s is %s, which cannot be read as float32", e.stored, w.path, e.dtype)
	}
	return t, nil
}

// Close unmaps the file. Every Tensor.Data view obtained from Get becomes
// invalid: reading it afterwards crashes the program.
func (w *Weights) Close() error {
	if w.file == nil {
		return nil
	}
	err := w.release()
	w.file, w.data, w.entries = nil, nil, nil
	if err != nil {
		return fmt.Errorf("checkpoint: unmapping %s: %w", w.path, err)
	}
	return nil
}

func littleEndian() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}

// Float32 is Get returning the data and shape alone: its method value fits a
// loader of the form func(name string) (data []float32, shape []int, err error).
func (w *Weights) Float32(name string) (data []float32, shape []int, err error) {
	t, err := w.Get(name)
	return t.Data, t.Shape, err
}

// Release tells the operating system that tensor name's pages of the mapping
// are not needed any more, so they stop counting towards the process's
// resident memory once copied elsewhere (to a backend, say). Data views stay
// valid: reading one again pages it back in from the file. Unknown names and
// a closed Weights are ignored.
func (w *Weights) Release(name string) {
	if w.file == nil {
		return
	}
	if e, ok := w.entries[strings.TrimPrefix(name, "transformer.")]; ok {
		mmap.DontNeed(w.data[e.from:e.to])
	}
}
