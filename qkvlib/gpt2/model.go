package gpt2

import (
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/qkvport/qkv/qkvlib/checkpoint"
)

// Weights is where a Model gets its configuration and parameters;
// *checkpoint.Weights is one. Get takes canonical names ("wte.weight",
// "h.3.attn.c_attn.weight", ...) and returns float32 data, row-major.
type Weights interface {
	Config() checkpoint.Config
	Get(name string) (checkpoint.Tensor, error)
}

// releaser is a Weights that can drop a tensor's memory once copied
// (*checkpoint.Weights does, for memory-mapped pages).
type releaser interface{ Release(name string) }

// Model is a GPT-2 whose parameters live on a GoMLX backend, ready to run
// batches and capture each block's fused Q|K|V projection.
type Model struct {
	cfg     checkpoint.Config
	backend compute.Backend
	dims    map[string][]int // each tensor's shape by checkpoint name, as the config implies

	wte, wpe, lnfG, lnfB *tensors.Tensor // [V, E], [P, E], [E], [E]
	blocks               []blockTensors  // [NLayers]

	// The graphs forward runs (buildExecs); newChunkBlocks runs whole blocks.
	embedExec, qkvExec, headExec *graph.Exec
	newChunkBlocks               func() chunkBlocks
	execs                        []*graph.Exec // all of them, for Close

	loading blockLoading // the blocks' parameters, maybe still arriving (load.go)
}

// execBuilder collects the graphs a model prepares; after an error it prepares no more.
type execBuilder struct {
	backend compute.Backend
	all     []*graph.Exec
	err     error
}

func newExec[F graph.ExecGraphFn](x *execBuilder, fn F) *graph.Exec {
	if x.err != nil {
		return nil
	}
	e, err := graph.NewExec(x.backend, fn)
	if err != nil {
		x.err = err
		return nil
	}
	x.all = append(x.all, e)
	return e
}

// chunkBlocks runs the blocks of one chunk's forward, one after another.
type chunkBlocks interface {
	// run runs one block on h: [n, T, E]; it returns the next h and the
	// block's qkv: [n, T, 3·E].
	run(h *tensors.Tensor, w *blockTensors) (next, qkv *tensors.Tensor, err error)
	// close frees what was kept from one block to the next.
	close()
}

// wholeBlocks runs each block as one graph: h, block weights → next h, qkv.
type wholeBlocks struct{ exec *graph.Exec }

func (b wholeBlocks) run(h *tensors.Tensor, w *blockTensors) (next, qkv *tensors.Tensor, err error) {
	outs, err := b.exec.Call(blockArgs(w, h)...)
	if err != nil {
		return nil, nil, err
	}
	return outs[0], outs[1], nil
}

func (wholeBlocks) close() {}

// Config returns the model's configuration.
func (m *Model) Config() checkpoint.Config { return m.cfg }

// Backend returns the backend the model runs on.
func (m *Model) Backend() compute.Backend { return m.backend }

// Close frees the parameters and compiled graphs; a background load still
// running stops first.
func (m *Model) Close() {
	m.loading.stop()
	ts := []*tensors.Tensor{m.wte, m.wpe, m.lnfG, m.lnfB}
	for i := range m.blocks {
		for _, p := range m.blocks[i].params() {
			ts = append(ts, *p.field)
		}
	}
	for _, t := range ts {
		if t != nil {
			_ = t.FinalizeAll()
		}
	}
	m.closeExecs()
}

func (m *Model) closeExecs() {
	for _, e := range m.execs {
		e.Finalize()
	}
	m.execs = nil
}
