package gpt2

import (
	"cmp"
	"fmt"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/qkvport/qkv/qkvlib/checkpoint"
)

// OPTIMISATION, go backend only: gelu_new computed in Go, between two graphs.
//
// The go backend's fused GELU evaluates math.Tanh in float64 one element at
// a time, about a sixth of the whole forward; geluNewSlice below, in
// float32 with AVX-512 (gelu_simd.go), takes under 1%. So on the go backend,
// built with GOEXPERIMENT=simd on a CPU with AVX-512, each block runs as two
// graphs cut at its MLP activation (block's act, forward.go): the first ends
// with the residual stream and c_fc's output, Go computes gelu_new into a
// buffer the backend shares, and the second graph resumes from the residual
// stream and that buffer. Both graphs are block itself, with an act that
// ends or resumes the graph there; the backend drops the part of each that
// its outputs do not need. Other backends fuse gelu_new into the block's
// graph, and without AVX-512 the scalar loop is no faster than the
// backend's: a block is then one graph and only TestHostGeluMatchesGraph
// runs this path.
//
// geluNewSlice's tanh is the [13/6] rational approximation that Eigen,
// XLA's CPU backend and ONNX Runtime's MLAS use for float32 tanh, within a
// few float32 ulp of float64 gelu_new (gelu_test.go checks it against
// math.Tanh). Its input is clamped to ±10, where the rational function
// passes ±1, and its result to [−1, 1], so that gelu_new(x) is exactly 0
// for large negative x and exactly x for large positive x.

// goBackendName is the go backend's compute.Backend.Name.
const goBackendName = "Go Backend"

// useHostGelu says whether blocks on backend run with gelu_new in Go.
func useHostGelu(backend compute.Backend) bool {
	return geluNewVectorized && backend.Name() == goBackendName
}

// hostGeluBlocks prepares a block's two graphs, cut at its activation:
//
//	toAct:   h, block weights            → qkv, the residual stream r, fc
//	fromAct: r, gelu_new(fc), block weights → next h
//
// and returns how a chunk runs its blocks with them.
func hostGeluBlocks(x *execBuilder, cfg checkpoint.Config) func() chunkBlocks {
	toAct := newExec(x, func(in []*graph.Node) []*graph.Node {
		var r, fc *graph.Node
		_, qkv := block(in[0], blockNodesOf(in[1:]), cfg, func(h, out *graph.Node) (*graph.Node, *graph.Node) {
			r, fc = h, out // the graph ends here
			return h, out
		})
		return []*graph.Node{qkv, r, fc}
	})
	fromAct := newExec(x, func(in []*graph.Node) *graph.Node {
		r, act := in[0], in[1]
		next, _ := block(r, blockNodesOf(in[2:]), cfg, func(_, _ *graph.Node) (*graph.Node, *graph.Node) {
			return r, act // the graph starts here
		})
		return next
	})
	return func() chunkBlocks { return &hostGeluChunk{backend: x.backend, toAct: toAct, fromAct: fromAct} }
}

// hostGeluChunk runs a chunk's blocks as toAct, geluNewSlice, fromAct.
type hostGeluChunk struct {
	backend        compute.Backend
	toAct, fromAct *graph.Exec
	act            *tensors.Tensor // gelu_new(fc): [n, T, 4·E], shared with the backend, reused by every block
}

func (c *hostGeluChunk) run(h *tensors.Tensor, w *blockTensors) (next, qkv *tensors.Tensor, err error) {
	outs, err := c.toAct.Call(blockArgs(w, h)...)
	if err != nil {
		return nil, nil, err
	}
	qkv, r, fc := outs[0], outs[1], outs[2]
	defer func() { _ = r.FinalizeAll() }()
	err = c.gelu(fc)
	_ = fc.FinalizeAll()
	if err == nil {
		next, err = c.fromAct.Call1(blockArgs(w, r, c.act)...)
	}
	if err != nil {
		_ = qkv.FinalizeAll()
		return nil, nil, err
	}
	return next, qkv, nil
}

// gelu writes gelu_new(fc) into c.act from fc's own data, without copies;
// c.act is made on first use.
func (c *hostGeluChunk) gelu(fc *tensors.Tensor) error {
	if c.act == nil {
		t, err := tensors.FromShapeForBackend(c.backend, 0, fc.Shape())
		if err != nil {
			return fmt.Errorf("gelu_new: %w", err)
		}
		c.act = t
	}
	var inner error
	err := tensors.ConstFlatData(fc, func(src []float32) {
		inner = tensors.MutableFlatData(c.act, func(dst []float32) { geluNewSlice(dst, src) })
	})
	if err = cmp.Or(err, inner); err != nil {
		return fmt.Errorf("gelu_new: %w", err)
	}
	return nil
}

func (c *hostGeluChunk) close() {
	if c.act != nil {
		_ = c.act.FinalizeAll()
	}
}

// geluNewSlice writes gelu_new(src[i]) = 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
// into dst[i]; dst and src have the same length and may be the same slice.
// It is the AVX-512 version when the build and the CPU have it
// (gelu_simd.go), else geluNewScalar.
var geluNewSlice = geluNewScalar

// geluNewVectorized says geluNewSlice is the AVX-512 version: 25x the go
// backend's fused GELU, where the scalar loop only matches it. The go
// backend's forward runs gelu_new here only then (useHostGelu).
var geluNewVectorized = false

const (
	geluC     = 0.7978845608028654 // √(2/π)
	geluCubic = 0.044715

	tanhClamp = 10 // the rational tanh passes ±1 before this
)

// Numerator (odd, α₁…α₁₃) and denominator (even, β₀…β₆) of the rational
// tanh, highest power first, as Eigen states them.
var (
	tanhNum = [7]float32{-2.76076847742355e-16, 2.00018790482477e-13, -8.60467152213735e-11,
		5.12229709037114e-08, 1.48572235717979e-05, 6.37261928875436e-04, 4.89352455891786e-03}
	tanhDen = [4]float32{1.19825839466702e-06, 1.18534705686654e-04, 2.26843463243900e-03,
		4.89352518554385e-03}
)

// tanh32 is the rational tanh of x in float32.
func tanh32(x float32) float32 {
	x = min(max(x, -tanhClamp), tanhClamp)
	x2 := x * x
	p := tanhNum[0]
	for _, c := range tanhNum[1:] {
		p = p*x2 + c
	}
	q := tanhDen[0]
	for _, c := range tanhDen[1:] {
		q = q*x2 + c
	}
	return min(max(x*p/q, -1), 1)
}

func geluNewScalar(dst, src []float32) {
	dst = dst[:len(src)]
	for i, x := range src {
		inner := geluC * (x + geluCubic*x*x*x)
		dst[i] = 0.5 * x * (1 + tanh32(inner))
	}
}
