package gpt2

import (
	"math"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/nn"
)

// This file builds GPT-2's forward pass, unit by unit, as HuggingFace's
// GPT2Model computes it:
//
//	h = wte[tok] + wpe[pos]
//	for each block:  qkv = ln_1(h)·W_attn + b_attn                  (captured: attn_{i}_qkv)
//	                 h  += c_proj(causal_softmax(q·kᵀ/√d)·v)
//	                 h  += mlp_c_proj(gelu_new(c_fc(ln_2(h))))
//	logits = ln_f(h)·wteᵀ
//
// Each function builds one unit of the graph; Model.forward (model.go) runs
// them in this order over a chunk. Shapes: B sequences, T tokens,
// E = n_embd, H heads, D = E/H.

// embed returns h: [B, T, E] from tokens: [B, T] int32, wte: [V, E], wpe: [P, E].
func embed(tokens, wte, wpe *Node) *Node {
	t := tokens.Shape().Dimensions[1]
	tok := Gather(wte, ExpandAxes(tokens, -1))      // [B, T, E]
	pos := Slice(wpe, AxisRange(0, t), AxisRange()) // [T, E]
	return Add(tok, ExpandAxes(pos, 0))
}

// layerNorm normalises x: [..., E] over its last axis, then scales by g: [E] and shifts by b: [E].
func layerNorm(x, g, b *Node, eps float64) *Node {
	return nn.LayerNorm(x, []int{-1}, eps, g, b, nil)
}

// conv1D is GPT-2's Conv1D: x: [B, T, In] · w: [In, Out] + b: [Out] → [B, T, Out].
func conv1D(x, w, b *Node) *Node {
	y := Dot(x, w).General([]int{2}, nil, []int{0}, nil) // [B, T, Out]
	return Add(y, ExpandLeftToRank(b, 3))
}

// geluNew is GPT-2's gelu_new, the tanh form: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
// Backends with a fused tanh-form GELU run that; others the formula below.
// (The go backend with AVX-512 runs geluNewSlice between two graphs instead:
// Model.hostGelu.)
func geluNew(x *Node) *Node {
	out, _ := InternalFusedOpCaller(func() *Node { return BackendFusedGelu(x, false) }, func() *Node { return geluNewFormula(x) }, true)
	return out
}

func geluNewFormula(x *Node) *Node {
	c := math.Sqrt(2 / math.Pi)
	x3 := Mul(Mul(x, x), x)
	inner := MulScalar(Add(x, MulScalar(x3, 0.044715)), c)
	return Mul(MulScalar(x, 0.5), AddScalar(Tanh(inner), 1))
}

// attention is causal multi-head self-attention on qkv: [B, T, 3E] with nHead heads;
// it returns the heads' outputs merged back to [B, T, E] (before c_proj).
func attention(qkv *Node, nHead int) *Node {
	dims := qkv.Shape().Dimensions
	b, t, e := dims[0], dims[1], dims[2]/3
	d := e / nHead
	split := func(i int) *Node { // [B, T, E] → [B, H, T, D]
		x := Slice(qkv, AxisRange(), AxisRange(), AxisRange(i*e, (i+1)*e))
		return TransposeAllAxes(Reshape(x, b, t, nHead, d), 0, 2, 1, 3)
	}
	q, k, v := split(0), split(1), split(2)
	scores := Dot(q, k).General([]int{3}, []int{0, 1}, []int{3}, []int{0, 1}) // [B, H, T, T]
	scores = MulScalar(scores, 1/math.Sqrt(float64(d)))
	scores = Add(scores, causalBias(qkv.Graph(), t, scores))
	probs := Softmax(scores, -1)
	out := Dot(probs, v).General([]int{3}, []int{0, 1}, []int{2}, []int{0, 1}) // [B, H, T, D]
	return Reshape(TransposeAllAxes(out, 0, 2, 1, 3), b, t, e)
}

// causalBias is [1, 1, T, T]: 0 where key ≤ query, the dtype's lowest value above the diagonal.
func causalBias(g *Graph, t int, like *Node) *Node {
	shape := like.Shape().Clone()
	shape.Dimensions = []int{t, t}
	row := Iota(g, shape, 0)
	col := Iota(g, shape, 1)
	lowest := Scalar(g, like.DType(), -math.MaxFloat32)
	zero := ScalarZero(g, like.DType())
	bias := Where(GreaterThan(col, row), BroadcastToDims(lowest, t, t), BroadcastToDims(zero, t, t))
	return Reshape(bias, 1, 1, t, t)
}

// blockWeights are one transformer block's parameters as graph nodes.
type blockWeights struct {
	ln1g, ln1b, attnW, attnB, projW, projB *Node // [E], [E], [E, 3E], [3E], [E, E], [E]
	ln2g, ln2b, fcW, fcB, fcProjW, fcProjB *Node // [E], [E], [E, 4E], [4E], [4E, E], [E]
}

// blockTensorNames are the checkpoint names of one block's tensors, in blockWeights order.
var blockTensorNames = []string{
	"ln_1.weight", "ln_1.bias", "attn.c_attn.weight", "attn.c_attn.bias", "attn.c_proj.weight", "attn.c_proj.bias",
	"ln_2.weight", "ln_2.bias", "mlp.c_fc.weight", "mlp.c_fc.bias", "mlp.c_proj.weight", "mlp.c_proj.bias",
}

func newBlockWeights(n []*Node) blockWeights {
	return blockWeights{n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7], n[8], n[9], n[10], n[11]}
}

// qkvProjection is the captured c_attn output: ln_1(h)·W + b, h: [B, T, E] → [B, T, 3E].
func qkvProjection(h *Node, w blockWeights, eps float64) *Node {
	return conv1D(layerNorm(h, w.ln1g, w.ln1b, eps), w.attnW, w.attnB)
}

// blockRest finishes a block from its input h: [B, T, E] and its qkv: [B, T, 3E]; it returns the next h.
func blockRest(h, qkv *Node, w blockWeights, nHead int, eps float64) *Node {
	h, fc := blockToFC(h, qkv, w, nHead, eps)
	return blockMLPOut(h, geluNew(fc), w.fcProjW, w.fcProjB)
}

// blockToFC is a block from its input h: [B, T, E] and qkv: [B, T, 3E] up to
// the MLP's activation: it returns h + attention (the MLP's residual input,
// [B, T, E]) and c_fc(ln_2(that)), [B, T, 4E], before gelu_new.
func blockToFC(h, qkv *Node, w blockWeights, nHead int, eps float64) (hMid, fc *Node) {
	hMid = Add(h, conv1D(attention(qkv, nHead), w.projW, w.projB))
	return hMid, conv1D(layerNorm(hMid, w.ln2g, w.ln2b, eps), w.fcW, w.fcB)
}

// blockMLPOut ends a block: hMid + mlp_c_proj(act), with act = gelu_new(c_fc(…)): [B, T, 4E].
func blockMLPOut(hMid, act, w, b *Node) *Node {
	return Add(hMid, conv1D(act, w, b))
}

// lmHead is logits: [B, T, V] = ln_f(h)·wteᵀ, with h: [B, T, E], wte: [V, E].
func lmHead(h, lnfG, lnfB, wte *Node, eps float64) *Node {
	x := layerNorm(h, lnfG, lnfB, eps)
	return Dot(x, wte).General([]int{2}, nil, []int{1}, nil)
}
