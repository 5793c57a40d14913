package gpt2

import (
	"cmp"
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

	// hostGelu: a block runs as toFCExec, gelu_new in Go (gelu.go), then
	// mlpOutExec, instead of blockExec. Set on the go backend when the
	// vector GELU is there (the backend's own GELU is float64 math.Tanh,
	// element by element: 25x slower); XLA fuses its GELU into the graph.
	hostGelu             bool
	toFCExec, mlpOutExec *graph.Exec

	loading blockLoading // the blocks' parameters, maybe still arriving (load.go)
}

// goBackendName is the go backend's compute.Backend.Name.
const goBackendName = "Go Backend"

// buildExecs prepares the graphs: embedding, a block's Q|K|V projection
// alone (for the last captured layer), a whole block (or, with hostGelu, the
// two graphs on either side of gelu_new), and the LM head.
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
	if m.hostGelu {
		// inputs: h, block weights 0–9 (ln_1 … c_fc) → qkv [B, T, 3E], hMid [B, T, E], fc [B, T, 4E]
		if m.toFCExec, err = graph.NewExec(m.backend, func(in []*graph.Node) []*graph.Node {
			w := newBlockWeights(append(in[1:len(blockTensorNames)-1:len(blockTensorNames)-1], nil, nil))
			qkv := qkvProjection(in[0], w, eps)
			hMid, fc := blockToFC(in[0], qkv, w, nHead, eps)
			return []*graph.Node{qkv, hMid, fc}
		}); err != nil {
			return err
		}
		// inputs: hMid, gelu_new(fc), mlp.c_proj weight and bias → next h [B, T, E]
		if m.mlpOutExec, err = graph.NewExec(m.backend, blockMLPOut); err != nil {
			return err
		}
	} else {
		// inputs: h, 12 block weights → next h [B, T, E], qkv [B, T, 3E]
		if m.blockExec, err = graph.NewExec(m.backend, func(in []*graph.Node) []*graph.Node {
			w := newBlockWeights(in[1:])
			qkv := qkvProjection(in[0], w, eps)
			return []*graph.Node{blockRest(in[0], qkv, w, nHead, eps), qkv}
		}); err != nil {
			return err
		}
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
		var act *tensors.Tensor // the MLP's activation, with hostGelu
		defer func() {
			if act != nil {
				_ = act.FinalizeAll()
			}
		}()
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
			next, qkv, err := m.block(h, m.blocks[i], &act)
			if err != nil {
				yield(output{layer: i, err: wrapBlockErr(i, err)})
				return
			}
			_ = h.FinalizeAll()
			h = next
			if !yield(output{layer: i, tensor: qkv}) {
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

// block runs one whole block on h: [n, T, E] with its 12 weights w; it
// returns the next h and the block's qkv: [n, T, 3E]. With hostGelu, *act
// is the chunk's buffer for the MLP's activation ([n, T, 4E], see gelu).
func (m *Model) block(h *tensors.Tensor, w []*tensors.Tensor, act **tensors.Tensor) (next, qkv *tensors.Tensor, err error) {
	if !m.hostGelu {
		outs, err := m.blockExec.Call(append([]any{h}, anySlice(w)...)...)
		if err != nil {
			return nil, nil, err
		}
		return outs[0], outs[1], nil
	}
	nw := len(blockTensorNames)
	outs, err := m.toFCExec.Call(append([]any{h}, anySlice(w[:nw-2])...)...)
	if err != nil {
		return nil, nil, err
	}
	qkv, hMid, fc := outs[0], outs[1], outs[2]
	defer func() { _ = hMid.FinalizeAll() }()
	err = m.gelu(act, fc)
	_ = fc.FinalizeAll()
	if err == nil {
		next, err = m.mlpOutExec.Call1(hMid, *act, w[nw-2], w[nw-1])
	}
	if err != nil {
		_ = qkv.FinalizeAll()
		return nil, nil, err
	}
	return next, qkv, nil
}

// gelu writes gelu_new(x) into *act, computed in Go (geluNewSlice) from
// x's own data without copies; *act is a tensor in memory shared with the
// backend, made on first use and reused by the chunk's later blocks.
func (m *Model) gelu(act **tensors.Tensor, x *tensors.Tensor) error {
	if *act == nil {
		t, err := tensors.FromShapeForBackend(m.backend, 0, x.Shape())
		if err != nil {
			return fmt.Errorf("gelu_new: %w", err)
		}
		*act = t
	}
	var inner error
	err := tensors.ConstFlatData(x, func(src []float32) {
		inner = tensors.MutableFlatData(*act, func(dst []float32) { geluNewSlice(dst, src) })
	})
	if err = cmp.Or(err, inner); err != nil {
		return fmt.Errorf("gelu_new: %w", err)
	}
	return nil
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
	for _, e := range []*graph.Exec{m.embedExec, m.qkvExec, m.blockExec, m.headExec, m.toFCExec, m.mlpOutExec} {
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
