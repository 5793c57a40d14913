package gpt2

import (
	"errors"
	"fmt"
	"slices"
	"sync/atomic"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
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
	m := &Model{cfg: cfg, backend: backend, blocks: make([]blockTensors, cfg.NLayers), dims: map[string][]int{}}
	for _, s := range cfg.TensorSpecs() {
		m.dims[s.Name] = s.Shape
	}
	for _, p := range []struct {
		dst  **tensors.Tensor
		name string
	}{{&m.wte, "wte.weight"}, {&m.wpe, "wpe.weight"}, {&m.lnfG, "ln_f.weight"}, {&m.lnfB, "ln_f.bias"}} {
		var err error
		if *p.dst, err = m.upload(w, p.name); err != nil {
			m.Close()
			return nil, err
		}
	}
	if err := m.buildExecs(useHostGelu(backend)); err != nil {
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
	for i := range m.blocks {
		if m.loading.stopping.Load() {
			m.loading.failFrom(i, errors.New("gpt2: the model was closed while loading"))
			return
		}
		for _, p := range m.blocks[i].params() {
			var err error
			if *p.field, err = m.upload(w, fmt.Sprintf("h.%d.%s", i, p.name)); err != nil {
				m.loading.failFrom(i, err)
				return
			}
		}
		m.loading.done(i, nil)
	}
}

// upload copies tensor name of w to the backend, checking it has the shape
// the config implies.
func (m *Model) upload(w Weights, name string) (*tensors.Tensor, error) {
	t, err := w.Get(name)
	if err != nil {
		return nil, fmt.Errorf("gpt2: loading %s: %w", name, err)
	}
	if dims := m.dims[name]; !slices.Equal(t.Shape, dims) {
		return nil, fmt.Errorf("gpt2: tensor %s has shape %v, the config implies %v: the config does not match the weights", name, t.Shape, dims)
	}
	buf, err := m.backend.BufferFromFlatData(0, t.Data, shapes.Make(dtypes.Float32, t.Shape...))
	if err != nil {
		return nil, fmt.Errorf("gpt2: uploading %s to the %s backend: %w", name, m.backend.Name(), err)
	}
	if r, ok := w.(releaser); ok {
		r.Release(name) // the backend holds its own copy now
	}
	return tensors.FromBuffer(buf)
}

// blockParams are one block's parameters, named after nanoGPT's Block: T is
// *tensors.Tensor where a Model keeps them, *graph.Node in a graph.
type blockParams[T any] struct {
	LN1G, LN1B       T // ln_1: [E], [E]
	AttnW, AttnB     T // attn.c_attn: [E, 3·E], [3·E]
	ProjW, ProjB     T // attn.c_proj: [E, E], [E]
	LN2G, LN2B       T // ln_2: [E], [E]
	FCW, FCB         T // mlp.c_fc: [E, 4·E], [4·E]
	FCProjW, FCProjB T // mlp.c_proj: [4·E, E], [E]
}

type (
	blockTensors = blockParams[*tensors.Tensor]
	blockNodes   = blockParams[*graph.Node]
)

// blockParam is a field of a blockParams and its checkpoint name after "h.{i}.".
type blockParam[T any] struct {
	field *T
	name  string
}

// params lists p's fields with their checkpoint names, in the order a
// block's graphs take them (blockArgs, blockNodesOf).
func (p *blockParams[T]) params() []blockParam[T] {
	return []blockParam[T]{
		{&p.LN1G, "ln_1.weight"}, {&p.LN1B, "ln_1.bias"},
		{&p.AttnW, "attn.c_attn.weight"}, {&p.AttnB, "attn.c_attn.bias"},
		{&p.ProjW, "attn.c_proj.weight"}, {&p.ProjB, "attn.c_proj.bias"},
		{&p.LN2G, "ln_2.weight"}, {&p.LN2B, "ln_2.bias"},
		{&p.FCW, "mlp.c_fc.weight"}, {&p.FCB, "mlp.c_fc.bias"},
		{&p.FCProjW, "mlp.c_proj.weight"}, {&p.FCProjB, "mlp.c_proj.bias"},
	}
}

// blockArgs are the arguments of a block's graph: the chunk's tensors, then
// w's parameters.
func blockArgs(w *blockTensors, chunk ...*tensors.Tensor) []any {
	args := make([]any, 0, len(chunk)+12)
	for _, t := range chunk {
		args = append(args, t)
	}
	for _, p := range w.params() {
		args = append(args, *p.field)
	}
	return args
}

// blockNodesOf is the block's parameters among a graph's inputs in, which
// follow the chunk's as in blockArgs.
func blockNodesOf(in []*graph.Node) (w blockNodes) {
	for i, p := range w.params() {
		*p.field = in[i]
	}
	return w
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
