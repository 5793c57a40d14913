package gpt2

import (
	"fmt"
	"iter"

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

	wte, wpe, lnfG, lnfB *tensors.Tensor     // [V, E], [P, E], [E], [E]
	blocks               [][]*tensors.Tensor // [NLayers][12], in blockTensorNames order

	embedExec, qkvExec, blockExec, headExec *graph.Exec

	loading blockLoading // the blocks' parameters, maybe still arriving (load.go)
}

// buildExecs prepares the four graphs: embedding, a block's Q|K|V projection
// alone (for the last captured layer), a whole block, and the LM head.
func (m *Model) buildExecs() error {
	eps, nHead := m.cfg.LayerNormEps, m.cfg.NHeads
	var err error
	// inputs: tokens [B, T] int32, wte, wpe → h [B, T, E]
	if m.embedExec, err = graph.NewExec(m.backend, embed); err != nil {
		return err
	}
	// inputs: h, 12 block weights → qkv [B, T, 3E]
	if m.qkvExec, err = graph.NewExec(m.backend, func(in []*graph.Node) *graph.Node {
		return qkvProjection(in[0], newBlockWeights(in[1:]), eps)
	}); err != nil {
		return err
	}
	// inputs: h, 12 block weights → next h [B, T, E], qkv [B, T, 3E]
	if m.blockExec, err = graph.NewExec(m.backend, func(in []*graph.Node) []*graph.Node {
		w := newBlockWeights(in[1:])
		qkv := qkvProjection(in[0], w, eps)
		return []*graph.Node{blockRest(in[0], qkv, w, nHead, eps), qkv}
	}); err != nil {
		return err
	}
	// inputs: h, ln_f weight and bias, wte → logits [B, T, V]
	if m.headExec, err = graph.NewExec(m.backend, func(h, g, b, wte *graph.Node) *graph.Node {
		return lmHead(h, g, b, wte, eps)
	}); err != nil {
		return err
	}
	return nil
}

// output is one step of a chunk's forward: block layer's captured projection
// (qkv: [n, T, 3E]) or, after the last block, the LM head's logits
// ([n, T, V], layer == headLayer). The receiver owns tensor and must
// finalize it.
type output struct {
	layer  int
	tensor *tensors.Tensor
	err    error
}

// headLayer is output.layer for the logits.
const headLayer = -1

// forward is GPT-2's forward over one chunk of tokens: [n, T] int32, as
// nanoGPT's GPT.forward states it, yielding each block's captured c_attn
// output as soon as it is computed:
//
//	h := embed(tokens)                    // [n, T, E]
//	for i := range depth {
//	    qkv := qkvProjection(h, block i)  // [n, T, 3E]: yielded as attn_{i}_qkv
//	    h = blockRest(h, qkv, block i)    // [n, T, E]
//	}
//	logits := lmHead(h)                   // [n, T, V]: yielded last, if asked
//
// Each block runs as one compiled graph (blockExec returns both qkv and the
// next h); without logits the last block stops after its qkv (qkvExec). The
// sequence ends after an error (yielded with a nil tensor) or when the
// receiver stops it; the hidden state is freed either way. The scheduler
// (schedule.go) steps several chunks' forwards side by side.
func (m *Model) forward(tokens *tensors.Tensor, depth int, logits bool) iter.Seq[output] {
	return func(yield func(output) bool) {
		h, err := m.embedExec.Call1(tokens, m.wte, m.wpe)
		if err != nil {
			yield(output{err: fmt.Errorf("gpt2: embedding: %w", err)})
			return
		}
		defer func() { _ = h.FinalizeAll() }()
		for i := range depth {
			if err := m.loading.wait(i); err != nil {
				yield(output{layer: i, err: err})
				return
			}
			args := append([]any{h}, anySlice(m.blocks[i])...)
			if i == depth-1 && !logits {
				qkv, err := m.qkvExec.Call1(args...)
				yield(output{layer: i, tensor: qkv, err: wrapBlockErr(i, err)})
				return
			}
			outs, err := m.blockExec.Call(args...)
			if err != nil {
				yield(output{layer: i, err: wrapBlockErr(i, err)})
				return
			}
			_ = h.FinalizeAll()
			h = outs[0]
			if !yield(output{layer: i, tensor: outs[1]}) {
				return
			}
		}
		if logits {
			lg, err := m.headExec.Call1(h, m.lnfG, m.lnfB, m.wte)
			if err != nil {
				err = fmt.Errorf("gpt2: LM head: %w", err)
			}
			yield(output{layer: headLayer, tensor: lg, err: err})
		}
	}
}

func wrapBlockErr(i int, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("gpt2: block %d: %w", i, err)
}

func anySlice(ts []*tensors.Tensor) []any {
	out := make([]any, len(ts))
	for i, t := range ts {
		out[i] = t
	}
	return out
}

// Config returns the model's configuration.
func (m *Model) Config() checkpoint.Config { return m.cfg }

// Backend returns the backend the model runs on.
func (m *Model) Backend() compute.Backend { return m.backend }

// Close frees the parameters and compiled graphs; a background load still
// running stops first.
func (m *Model) Close() {
	m.loading.stop()
	for _, t := range append([]*tensors.Tensor{m.wte, m.wpe, m.lnfG, m.lnfB}, flatten(m.blocks)...) {
		if t != nil {
			_ = t.FinalizeAll()
		}
	}
	for _, e := range []*graph.Exec{m.embedExec, m.qkvExec, m.blockExec, m.headExec} {
		if e != nil {
			e.Finalize()
		}
	}
}

func flatten(b [][]*tensors.Tensor) []*tensors.Tensor {
	var out []*tensors.Tensor
	for _, x := range b {
		out = append(out, x...)
	}
	return out
}
