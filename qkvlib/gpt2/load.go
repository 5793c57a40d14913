package gpt2

import (
	"errors"
	"fmt"
	"slices"
	"sync/atomic"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/tensors"
)

// New copies the parameters from w to backend and prepares the graphs.
// Every tensor is checked against the shape the config implies. w may be
// closed once New returns.
func New(backend compute.Backend, w Weights) (*Model, error) {
	m, err := newModel(backend, w)
	if err != nil {
		return nil, err
	}
	m.loading.start(m.cfg.NLayers)
	m.loadBlocks(w, nil)
	if err := m.Wait(); err != nil {
		m.Close()
		return nil, err
	}
	return m, nil
}

// NewBackground is New that returns as soon as the embeddings are on the
// backend and the graphs are prepared, and copies the blocks' parameters on a
// goroutine, block 0 first. A forward started at once waits for a block only
// if it gets there before the block's parameters do, so reading the
// checkpoint overlaps the first blocks' computation instead of preceding it.
// done (if not nil) is called on that goroutine when the copying has ended,
// to close w; until then w must stay open. A block that fails to load fails
// the forwards that reach it, and Wait returns the error.
func NewBackground(backend compute.Backend, w Weights, done func()) (*Model, error) {
	m, err := newModel(backend, w)
	if err != nil {
		if done != nil {
			done()
		}
		return nil, err
	}
	m.loading.start(m.cfg.NLayers)
	go m.loadBlocks(w, done)
	return m, nil
}

// Wait blocks until every block's parameters are on the backend, and
// returns the first error in copying them.
func (m *Model) Wait() error {
	for i := range m.cfg.NLayers {
		if err := m.loading.wait(i); err != nil {
			return err
		}
	}
	return nil
}

// newModel copies the embeddings and the final layer norm to backend and
// prepares the graphs; the blocks come after, from loadBlocks.
func newModel(backend compute.Backend, w Weights) (*Model, error) {
	cfg := w.Config()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("gpt2: %w", err)
	}
	m := &Model{cfg: cfg, backend: backend, blocks: make([][]*tensors.Tensor, cfg.NLayers),
		hostGelu: geluNewVectorized && backend.Name() == goBackendName}
	e := cfg.NEmb
	for _, p := range []struct {
		dst  **tensors.Tensor
		name string
		dims []int
	}{
		{&m.wte, "wte.weight", []int{cfg.VocabSize, e}},
		{&m.wpe, "wpe.weight", []int{cfg.NPositions, e}},
		{&m.lnfG, "ln_f.weight", []int{e}},
		{&m.lnfB, "ln_f.bias", []int{e}},
	} {
		var err error
		if *p.dst, err = upload(backend, w, p.name, p.dims...); err != nil {
			m.Close()
			return nil, err
		}
	}
	if err := m.buildExecs(); err != nil {
		m.Close()
		return nil, err
	}
	return m, nil
}

// loadBlocks copies every block's parameters to the backend in layer order,
// marking each block loaded (or failed) as it goes, then calls done and
// only then reports the loader finished.
func (m *Model) loadBlocks(w Weights, done func()) {
	defer close(m.loading.finished)
	defer func() {
		if done != nil {
			done()
		}
	}()
	e := m.cfg.NEmb
	blockDims := [][]int{{e}, {e}, {e, 3 * e}, {3 * e}, {e, e}, {e}, {e}, {e}, {e, 4 * e}, {4 * e}, {4 * e, e}, {e}}
	for i := range m.cfg.NLayers {
		if m.loading.stopping.Load() {
			m.loading.failFrom(i, errors.New("gpt2: the model was closed while loading"))
			return
		}
		block := make([]*tensors.Tensor, len(blockTensorNames))
		for j, name := range blockTensorNames {
			var err error
			if block[j], err = upload(m.backend, w, fmt.Sprintf("h.%d.%s", i, name), blockDims[j]...); err != nil {
				m.blocks[i] = block
				m.loading.failFrom(i, err)
				return
			}
		}
		m.blocks[i] = block
		m.loading.done(i, nil)
	}
}

// upload copies tensor name of w, which must have shape dims, to backend.
func upload(backend compute.Backend, w Weights, name string, dims ...int) (*tensors.Tensor, error) {
	t, err := w.Get(name)
	if err != nil {
		return nil, fmt.Errorf("gpt2: loading %s: %w", name, err)
	}
	if !slices.Equal(t.Shape, dims) {
		return nil, fmt.Errorf("gpt2: tensor %s has shape %v, the config implies %v: the config does not match the weights", name, t.Shape, dims)
	}
	buf, err := backend.BufferFromFlatData(0, t.Data, shapes.Make(dtypes.Float32, dims...))
	if err != nil {
		return nil, fmt.Errorf("gpt2: uploading %s to the %s backend: %w", name, backend.Name(), err)
	}
	if r, ok := w.(releaser); ok {
		r.Release(name) // the backend holds its own copy now
	}
	return tensors.FromBuffer(buf)
}

// blockLoading tracks which blocks' parameters are on the backend.
type blockLoading struct {
	ready    []chan struct{} // [NLayers]: closed once the block is loaded or failed
	errs     []error         // [NLayers]: set before ready[i] closes
	stopping atomic.Bool     // Close asked the loader to stop
	finished chan struct{}   // closed when the loader has returned, after its done
}

func (b *blockLoading) start(n int) {
	b.ready = make([]chan struct{}, n)
	for i := range b.ready {
		b.ready[i] = make(chan struct{})
	}
	b.errs = make([]error, n)
	b.finished = make(chan struct{})
}

// done marks block i loaded (err nil) or failed.
func (b *blockLoading) done(i int, err error) {
	b.errs[i] = err
	close(b.ready[i])
}

// failFrom marks blocks i and later failed with err.
func (b *blockLoading) failFrom(i int, err error) {
	for ; i < len(b.ready); i++ {
		b.done(i, err)
	}
}

// wait blocks until block i is loaded and returns its error.
func (b *blockLoading) wait(i int) error {
	<-b.ready[i]
	return b.errs[i]
}

// stop asks the loader to stop after the block in progress and waits for it.
func (b *blockLoading) stop() {
	if b.ready == nil {
		return // never started
	}
	b.stopping.Store(true)
	<-b.finished
}
