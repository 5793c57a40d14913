package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/qkvport/qkv/internal/directio"
)

// tmpMark separates a key from the random suffix of its temporary folder.
const tmpMark = ".tmp-"

// staleAge is how old (since its last write) a temporary folder must be
// before Create removes it as left over by a killed run.
const staleAge = time.Hour

// Writer writes a new store into a temporary folder; Commit publishes it
// under its key, Abort discards it. A Writer is not safe for concurrent use,
// but different layers' LayerWriters may be used from different goroutines.
type Writer struct {
	root, key, tmp string
	meta           Meta
	layers         map[int]*LayerWriter
	done           bool
}

// Create starts a store for key under root (created if needed) with the
// given metadata, writing into a temporary folder "<key>.tmp-<random>". It
// first removes temporary folders under root left untouched for an hour.
// meta.Layers lists the layers that Commit will require.
func Create(root, key string, meta Meta) (*Writer, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	if err := meta.validate(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, fmt.Errorf("store: creating %s: %w", root, err)
	}
	removeStale(root, time.Now().Add(-staleAge))
	tmp, err := os.MkdirTemp(root, key+tmpMark+"*")
	if err != nil {
		return nil, fmt.Errorf("store: creating a folder in %s: %w", root, err)
	}
	meta.FormatVersion = FormatVersion
	meta.Layers = slices.Clone(meta.Layers)
	return &Writer{root: root, key: key, tmp: tmp, meta: meta, layers: map[int]*LayerWriter{}}, nil
}

// Dir returns the temporary folder being written.
func (w *Writer) Dir() string { return w.tmp }

// Layer returns the writer of layer i's file, creating it on the first call;
// later calls return the same LayerWriter. i must be in the meta's Layers.
func (w *Writer) Layer(i int) (*LayerWriter, error) {
	if w.done {
		return nil, errors.New("store: writer is committed or aborted")
	}
	if lw := w.layers[i]; lw != nil {
		return lw, nil
	}
	if !w.meta.HasLayer(i) {
		return nil, fmt.Errorf("store: layer %d is not in the meta's layers %v", i, w.meta.Layers)
	}
	path := filepath.Join(w.tmp, LayerFile(i))
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("store: creating %s: %w", path, err)
	}
	lw := &LayerWriter{f: f, dw: directio.NewWriter(f), layer: i, want: w.meta.LayerLen()}
	w.layers[i] = lw
	return lw, nil
}

// LayerWriter appends float32 values to one layer's file, past the page
// cache where the system allows it (internal/directio): the forward that
// produces them has the CPU's cores, and a gigabyte through the page cache
// costs seconds of kernel time.
type LayerWriter struct {
	f       *os.File
	dw      *directio.Writer
	layer   int
	want    int // values the layer must hold: N·T·3E
	written int
	scratch []byte
	err     error
	synced  chan error // the background sync started once the layer is whole
}

// Write appends data, the next values of the layer in row-major order of
// [N, T, 3·E]: typically a chunk of whole sequences, [n, T, 3·E], in order.
func (lw *LayerWriter) Write(data []float32) error {
	if lw.err != nil {
		return lw.err
	}
	if lw.written+len(data) > lw.want {
		lw.err = fmt.Errorf("store: layer %d holds %d values; writing %d more after %d", lw.layer, lw.want, len(data), lw.written)
		return lw.err
	}
	if _, err := lw.dw.Write(floatBytes(data, &lw.scratch)); err != nil {
		lw.err = fmt.Errorf("store: writing layer %d: %w", lw.layer, err)
		return lw.err
	}
	lw.written += len(data)
	if lw.written == lw.want {
		if err := lw.dw.Flush(); err != nil {
			lw.err = fmt.Errorf("store: writing layer %d: %w", lw.layer, err)
			return lw.err
		}
		// The layer is whole: make it durable now, in the background, so
		// that Commit does not wait for every layer's pages at the end.
		ch, f := make(chan error, 1), lw.f
		lw.synced = ch
		go func() { ch <- f.Sync() }()
	}
	return nil
}

// sync waits for the layer's background sync, or syncs it now if none ran.
func (lw *LayerWriter) sync() error {
	if ch := lw.synced; ch != nil {
		lw.synced = nil
		return <-ch
	}
	return lw.f.Sync()
}

// Written returns the number of values written so far.
func (lw *LayerWriter) Written() int { return lw.written }

// Commit checks that every layer of the meta was written whole, syncs the
// files, writes meta.json last and renames the folder to the key. If another
// run committed the same key meanwhile, that store is kept and this one
// removed; a damaged store under the key (one Open rejects) is replaced. On
// error the temporary folder is removed.
func (w *Writer) Commit() (err error) {
	if w.done {
		return errors.New("store: writer is already committed or aborted")
	}
	defer func() {
		if err != nil {
			w.Abort()
		}
	}()
	want := int64(w.meta.LayerLen()) * 4
	for _, i := range w.meta.Layers {
		lw := w.layers[i]
		if lw == nil {
			return fmt.Errorf("store: layer %d was never written", i)
		}
		if lw.err != nil {
			return lw.err
		}
		if err := lw.dw.Flush(); err != nil { // a short layer's tail, for the size check
			return fmt.Errorf("store: writing layer %d: %w", i, err)
		}
		if err := lw.sync(); err != nil {
			return fmt.Errorf("store: syncing layer %d: %w", i, err)
		}
		st, err := lw.f.Stat()
		if err != nil {
			return fmt.Errorf("store: layer %d: %w", i, err)
		}
		if st.Size() != want {
			return fmt.Errorf("store: layer %d file is %d bytes, want %d (N·T·3E·4 = %d·%d·%d·4); the capture wrote %d of %d values",
				i, st.Size(), want, w.meta.N, w.meta.T, 3*w.meta.NEmb, lw.written, lw.want)
		}
		if err := lw.f.Close(); err != nil {
			return fmt.Errorf("store: closing layer %d: %w", i, err)
		}
		lw.err = errors.New("store: layer is committed")
	}
	if w.meta.Created.IsZero() {
		w.meta.Created = time.Now().UTC().Truncate(time.Second)
	}
	js, err := json.Marshal(&w.meta)
	if err != nil {
		return fmt.Errorf("store: encoding meta: %w", err)
	}
	if err := writeFileSync(filepath.Join(w.tmp, metaFile), append(js, '\n')); err != nil {
		return err
	}
	syncDir(w.tmp)
	final := filepath.Join(w.root, w.key)
	if err := os.Rename(w.tmp, final); err != nil {
		if _, statErr := os.Stat(final); statErr != nil {
			return fmt.Errorf("store: renaming %s to %s: %w", w.tmp, final, err)
		}
		if s, err := Open(w.root, w.key); err == nil {
			// Another run committed the same key first: keep theirs.
			s.Close()
			w.Abort()
			return nil
		}
		// A damaged store holds the key: move it aside and take its place.
		aside := fmt.Sprintf("%s%sdamaged-%d", final, tmpMark, time.Now().UnixNano())
		if err := os.Rename(final, aside); err != nil {
			return fmt.Errorf("store: replacing the damaged %s: %w", final, err)
		}
		if err := os.Rename(w.tmp, final); err != nil {
			return fmt.Errorf("store: renaming %s to %s: %w", w.tmp, final, err)
		}
		os.RemoveAll(aside)
	}
	w.done = true
	syncDir(w.root)
	return nil
}

// Abort closes and removes the temporary folder. Abort after Commit does
// nothing.
func (w *Writer) Abort() error {
	if w.done {
		return nil
	}
	w.done = true
	for _, lw := range w.layers {
		if lw.synced != nil {
			lw.sync() // a background sync still running ends before Close
		}
		lw.f.Close()
		lw.err = errors.New("store: writer is aborted")
	}
	if err := os.RemoveAll(w.tmp); err != nil {
		return fmt.Errorf("store: removing %s: %w", w.tmp, err)
	}
	return nil
}

const metaFile = "meta.json"

func writeFileSync(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("store: writing %s: %w", path, err)
	}
	return nil
}

// syncDir makes a folder's entries durable, as far as the system allows
// (Windows cannot sync a folder); the data files themselves are synced
// before, so a failure here is not an error.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// removeStale removes temporary folders under root whose newest entry was
// modified before cutoff: leftovers of killed runs. Errors are ignored: a
// folder that cannot be removed does no harm.
func removeStale(root string, cutoff time.Time) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.IsDir() || !strings.Contains(e.Name(), tmpMark) {
			continue
		}
		dir := filepath.Join(root, e.Name())
		if newestModTime(dir).Before(cutoff) {
			os.RemoveAll(dir)
		}
	}
}

// newestModTime returns the latest modification time of dir and the files in
// it (a file's time moves with every write, a folder's only when entries
// come and go).
func newestModTime(dir string) time.Time {
	var newest time.Time
	if st, err := os.Stat(dir); err == nil {
		newest = st.ModTime()
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if info, err := e.Info(); err == nil && info.ModTime().After(newest) {
			newest = info.ModTime()
		}
	}
	return newest
}
