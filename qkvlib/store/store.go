package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/qkvport/qkv/internal/mmap"
)

// Store is a committed store opened for reading. Its methods are safe for
// concurrent use.
type Store struct {
	dir  string
	meta Meta

	mu     sync.Mutex
	maps   map[int]mapping
	closed bool
}

type mapping struct {
	bytes   []byte    // the mapped file
	floats  []float32 // its values: a view of bytes on little-endian hosts
	release func() error
}

// Open opens the committed store key under root. When there is none it
// returns an error wrapping ErrNotFound; temporary folders of unfinished
// writes are never opened. It checks the format version and that every
// layer file has exactly the size the meta implies.
func Open(root, key string) (*Store, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	dir := filepath.Join(root, key)
	if _, err := os.Stat(dir); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("store: no activations in %s: %w", dir, ErrNotFound)
		}
		return nil, fmt.Errorf("store: %w", err)
	}
	damaged := func(format string, args ...any) error {
		return fmt.Errorf("store: %s: %s; the stored activations are damaged: delete the folder %s (or rerun with a fresh cache) to capture them again",
			dir, fmt.Sprintf(format, args...), dir)
	}
	js, err := os.ReadFile(filepath.Join(dir, metaFile))
	if err != nil {
		return nil, damaged("reading %s: %v", metaFile, err)
	}
	var meta Meta
	if err := json.Unmarshal(js, &meta); err != nil {
		return nil, damaged("decoding %s: %v", metaFile, err)
	}
	if meta.FormatVersion != FormatVersion {
		return nil, fmt.Errorf("store: %s has format version %d, this program reads version %d: delete the folder %s to capture again",
			dir, meta.FormatVersion, FormatVersion, dir)
	}
	if err := meta.validate(); err != nil {
		return nil, damaged("%v", err)
	}
	want := int64(meta.LayerLen()) * 4
	for _, i := range meta.Layers {
		st, err := os.Stat(filepath.Join(dir, LayerFile(i)))
		if err != nil {
			return nil, damaged("layer %d: %v", i, err)
		}
		if st.Size() != want {
			return nil, damaged("%s is %d bytes, want %d (N·T·3E·4 = %d·%d·%d·4)",
				LayerFile(i), st.Size(), want, meta.N, meta.T, 3*meta.NEmb)
		}
	}
	return &Store{dir: dir, meta: meta, maps: map[int]mapping{}}, nil
}

// Dir returns the store's folder.
func (s *Store) Dir() string { return s.dir }

// Meta returns the store's metadata. The returned slices must not be
// modified.
func (s *Store) Meta() Meta { return s.meta }

// Layer returns layer i's activations, the c_attn output: [N, T, 3·E]
// row-major, Q | K | V in the column blocks [0, E), [E, 2E), [2E, 3E). The
// slice is a read-only memory mapping of the file: writing to it crashes the
// program, and it must not be used after Close.
func (s *Store) Layer(i int) ([]float32, error) {
	if !s.meta.HasLayer(i) {
		return nil, fmt.Errorf("store: layer %d is not in %s (it holds layers %v)", i, s.dir, s.meta.Layers)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, errors.New("store: Layer after Close")
	}
	if m, ok := s.maps[i]; ok {
		return m.floats, nil
	}
	b, release, err := mapLayer(filepath.Join(s.dir, LayerFile(i)), int64(s.meta.LayerLen())*4)
	if err != nil {
		return nil, fmt.Errorf("store: layer %d: %w", i, err)
	}
	m := mapping{bytes: b, floats: bytesFloats(b), release: release}
	s.maps[i] = m
	return m.floats, nil
}

// mapLayer maps the first size bytes of the layer file at path.
func mapLayer(path string, size int64) ([]byte, func() error, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	return mmap.File(f, size)
}

// ReadAhead asks the operating system to read tokens (negative ones count
// from the end: -1 is the last) of every sequence of layer i into memory in
// the background, all at once, so that reading them afterwards does not wait
// for the disk one page fault at a time. It does nothing before Layer(i) and
// after Close.
func (s *Store) ReadAhead(i int, tokens ...int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.maps[i]
	if !ok || s.closed {
		return
	}
	row := 3 * s.meta.NEmb * 4 // bytes of one token
	for n := range s.meta.N {
		for _, t := range tokens {
			if t < 0 {
				t += s.meta.T
			}
			if t >= 0 && t < s.meta.T {
				off := (n*s.meta.T + t) * row
				mmap.WillNeed(m.bytes[off : off+row])
			}
		}
	}
}

// Release lets the operating system drop layer i's pages from the process's
// resident memory, once a caller is done with them for now. Slices returned
// by Layer stay valid: reading them again pages them back in from the file.
func (s *Store) Release(i int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m, ok := s.maps[i]; ok && !s.closed {
		mmap.DontNeed(m.bytes)
	}
}

// Close unmaps every layer. Slices returned by Layer are invalid afterwards.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	var errs []error
	for i, m := range s.maps {
		if err := m.release(); err != nil {
			errs = append(errs, fmt.Errorf("store: unmapping layer %d: %w", i, err))
		}
	}
	s.maps = nil
	return errors.Join(errs...)
}

// Latest returns the meta of the most recently created committed store under
// root that keep accepts, and whether there is one. Unreadable folders are
// skipped.
func Latest(root string, keep func(Meta) bool) (Meta, bool) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return Meta{}, false
	}
	var best Meta
	found := false
	for _, e := range entries {
		if !e.IsDir() || checkKey(e.Name()) != nil {
			continue
		}
		js, err := os.ReadFile(filepath.Join(root, e.Name(), metaFile))
		if err != nil {
			continue
		}
		var m Meta
		if json.Unmarshal(js, &m) != nil || !keep(m) {
			continue
		}
		if !found || m.Created.After(best.Created) {
			best, found = m, true
		}
	}
	return best, found
}
