package gpt2

import (
	"fmt"
	"iter"
	"math"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/nn"
	"github.com/qkvport/qkv/qkvlib/checkpoint"
)

// This file is GPT-2's forward over one chunk of tokens, as nanoGPT's
// model.py states it (and HuggingFace's GPT2Model computes it):
//
//	h = wte[tok] + wpe[pos]                     embed
//	for each block:  h += attn(ln_1(h))         block; attn's c_attn output is captured
//	                 h += mlp(ln_2(h))
//	logits = ln_f(h)·wteᵀ                       lmHead, when asked for
//
// Shapes: N sequences, T tokens, E = n_embd, H heads, D = E/H, V = vocab_size.

// embed returns h: [N, T, E] from tokens: [N, T] int32, wte: [V, E], wpe: [P, E].
func embed(tokens, wte, wpe *Node) *Node {
	t := tokens.Shape().Dimensions[1]
	tok := Gather(wte, ExpandAxes(tokens, -1))      // [N, T, E]
	pos := Slice(wpe, AxisRange(0, t), AxisRange()) // [T, E]
	return Add(tok, ExpandAxes(pos, 0))
}

// block is one GPT-2 block, nanoGPT's Block.forward: h += attn(ln_1(h));
// h += mlp(ln_2(h)), with mlp(x) = c_proj(gelu_new(c_fc(x))), the activation
// being act's. It returns the next h and attn's c_attn output, the captured
// Q | K | V.
func block(h *Node, w blockNodes, cfg checkpoint.Config, act mlpActivation) (next, qkv *Node) {
	qkv = conv1D(layerNorm(h, w.LN1G, w.LN1B, cfg), w.AttnW, w.AttnB) // [N, T, 3·E]
	h = Add(h, conv1D(attention(qkv, cfg.NHeads), w.ProjW, w.ProjB))  // [N, T, E]
	fc := conv1D(layerNorm(h, w.LN2G, w.LN2B, cfg), w.FCW, w.FCB)     // [N, T, 4·E]
	h, a := act(h, fc)                                                // [N, T, E], [N, T, 4·E]
	return Add(h, conv1D(a, w.FCProjW, w.FCProjB)), qkv               // [N, T, E]
}

// mlpActivation is a block's MLP activation: from the residual stream h:
// [N, T, E] and c_fc's output fc: [N, T, 4·E] it returns the residual
// stream and gelu_new(fc). graphGelu computes it in the block's graph; the
// host-GELU path cuts the block's graph in two there (gelu.go), which is why
// h passes through it.
type mlpActivation func(h, fc *Node) (*Node, *Node)

// graphGelu is the activation computed in the block's graph.
func graphGelu(h, fc *Node) (*Node, *Node) { return h, geluNew(fc) }

// geluNew is GPT-2's gelu_new, the tanh form: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
// Backends with a fused tanh-form GELU run that; others the formula.
func geluNew(x *Node) *Node {
	out, _ := InternalFusedOpCaller(func() *Node { return BackendFusedGelu(x, false) }, func() *Node { return geluNewFormula(x) }, true)
	return out
}

func geluNewFormula(x *Node) *Node {
	x3 := Mul(Mul(x, x), x)
	inner := MulScalar(Add(x, MulScalar(x3, 0.044715)), math.Sqrt(2/math.Pi))
	return Mul(MulScalar(x, 0.5), AddScalar(Tanh(inner), 1))
}

// attention is causal multi-head self-attention on qkv: [N, T, 3·E] with nHead
// heads, softmax(q·kᵀ/√D)·v; it returns the heads merged back, [N, T, E].
func attention(qkv *Node, nHead int) *Node {
	dims := qkv.Shape().Dimensions
	n, t, e := dims[0], dims[1], dims[2]/3
	d := e / nHead
	split := func(i int) *Node { // [N, T, E] → [N, H, T, D]
		x := Slice(qkv, AxisRange(), AxisRange(), AxisRange(i*e, (i+1)*e))
		return TransposeAllAxes(Reshape(x, n, t, nHead, d), 0, 2, 1, 3)
	}
	q, k, v := split(0), split(1), split(2)
	scores := Dot(q, k).General([]int{3}, []int{0, 1}, []int{3}, []int{0, 1}) // [N, H, T, T]
	scores = MulScalar(scores, 1/math.Sqrt(float64(d)))
	scores = Add(scores, causalBias(qkv.Graph(), t, scores))
	out := Dot(Softmax(scores, -1), v).General([]int{3}, []int{0, 1}, []int{2}, []int{0, 1}) // [N, H, T, D]
	return Reshape(TransposeAllAxes(out, 0, 2, 1, 3), n, t, e)
}

// causalBias is [1, 1, T, T]: 0 where key ≤ query, the dtype's lowest value above the diagonal.
func causalBias(g *Graph, t int, like *Node) *Node {
	shape := like.Shape().Clone()
	shape.Dimensions = []int{t, t}
	row, col := Iota(g, shape, 0), Iota(g, shape, 1)
	lowest := BroadcastToDims(Scalar(g, like.DType(), -math.MaxFloat32), t, t)
	zero := BroadcastToDims(ScalarZero(g, like.DType()), t, t)
	return Reshape(Where(GreaterThan(col, row), lowest, zero), 1, 1, t, t)
}

// layerNorm normalises x: [..., E] over its last axis, then scales by g: [E] and shifts by b: [E].
func layerNorm(x, g, b *Node, cfg checkpoint.Config) *Node {
	return nn.LayerNorm(x, []int{-1}, cfg.LayerNormEps, g, b, nil)
}

// conv1D is GPT-2's Conv1D: x: [N, T, In] · w: [In, Out] + b: [Out] → [N, T, Out].
func conv1D(x, w, b *Node) *Node {
	y := Dot(x, w).General([]int{2}, nil, []int{0}, nil)
	return Add(y, ExpandLeftToRank(b, 3))
}

// lmHead is logits: [N, T, V] = ln_f(h)·wteᵀ, with h: [N, T, E], wte: [V, E].
func lmHead(h, lnfG, lnfB, wte *Node, cfg checkpoint.Config) *Node {
	return Dot(layerNorm(h, lnfG, lnfB, cfg), wte).General([]int{2}, nil, []int{1}, nil)
}

// buildExecs prepares the graphs forward runs: the embedding; a block's qkv
// alone, for the last captured block (block's graph with that one output:
// the backend drops what no output needs); a whole block, or with hostGelu
// the two graphs around gelu_new in Go (gelu.go); the LM head.
func (m *Model) buildExecs(hostGelu bool) error {
	cfg := m.cfg
	x := &execBuilder{backend: m.backend}
	m.embedExec = newExec(x, embed)
	m.qkvExec = newExec(x, func(in []*Node) *Node { // h, block weights → qkv
		_, qkv := block(in[0], blockNodesOf(in[1:]), cfg, graphGelu)
		return qkv
	})
	m.headExec = newExec(x, func(h, g, b, wte *Node) *Node { return lmHead(h, g, b, wte, cfg) })
	if hostGelu {
		m.newChunkBlocks = hostGeluBlocks(x, cfg)
	} else {
		whole := newExec(x, func(in []*Node) []*Node { // h, block weights → next h, qkv
			next, qkv := block(in[0], blockNodesOf(in[1:]), cfg, graphGelu)
			return []*Node{next, qkv}
		})
		m.newChunkBlocks = func() chunkBlocks { return wholeBlocks{whole} }
	}
	m.execs = x.all
	return x.err
}

// output is one step of a chunk's forward: block layer's captured qkv
// ([n, T, 3·E]) or, after the last block, the logits ([n, T, V], layer ==
// headLayer). The receiver owns tensor and must finalize it.
type output struct {
	layer  int
	tensor *tensors.Tensor
	err    error
}

// headLayer is output.layer for the logits.
const headLayer = -1

// forward runs the graphs of buildExecs over one chunk, tokens: [n, T] int32:
// blocks 0 to depth-1, yielding each one's qkv as soon as it is computed (the
// last stops there unless logits), then the LM head if logits. It ends after
// an error (yielded with a nil tensor) or when the receiver stops it, freeing
// h either way. The scheduler (schedule.go) steps chunks side by side.
func (m *Model) forward(tokens *tensors.Tensor, depth int, logits bool) iter.Seq[output] {
	return func(yield func(output) bool) {
		h, err := m.embedExec.Call1(tokens, m.wte, m.wpe) // [n, T, E]
		if err != nil {
			yield(output{err: fmt.Errorf("gpt2: embedding: %w", err)})
			return
		}
		defer func() { _ = h.FinalizeAll() }()
		blocks := m.newChunkBlocks() // one graph a block, or two around the host GELU
		defer blocks.close()
		for i := range depth {
			if err := m.loading.wait(i); err != nil {
				yield(output{layer: i, err: err})
				return
			}
			if i == depth-1 && !logits {
				qkv, err := m.qkvExec.Call1(blockArgs(&m.blocks[i], h)...) // [n, T, 3·E]
				yield(output{layer: i, tensor: qkv, err: blockErr(i, err)})
				return
			}
			next, qkv, err := blocks.run(h, &m.blocks[i])
			if err != nil {
				yield(output{layer: i, err: blockErr(i, err)})
				return
			}
			_ = h.FinalizeAll()
			h = next
			if !yield(output{layer: i, tensor: qkv}) {
				return
			}
		}
		if logits {
			lg, err := m.headExec.Call1(h, m.lnfG, m.lnfB, m.wte) // [n, T, V]
			if err != nil {
				err = fmt.Errorf("gpt2: LM head: %w", err)
			}
			yield(output{layer: headLayer, tensor: lg, err: err})
		}
	}
}

func blockErr(i int, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("gpt2: block %d: %w", i, err)
}
