package gpt2

import (
	"fmt"
	"slices"

	"github.com/gomlx/gomlx/core/tensors"
)

// LayerName is the book's name of layer i's captured c_attn output: "attn_{i}_qkv".
func LayerName(i int) string { return fmt.Sprintf("attn_%d_qkv", i) }

// CaptureOptions says what a forward pass keeps.
type CaptureOptions struct {
	// Layers to capture, in any order; nil means every layer.
	Layers []int
	// Logits also computes the LM head's logits. Without it, the forward stops
	// right after the last captured layer's c_attn.
	Logits bool
	// BatchSize is how many sequences run at once; 0 means all of them.
	// Results do not depend on it.
	BatchSize int
	// Progress, if set, is called after each block of each chunk with the
	// number of block-passes done and the total.
	Progress func(done, total int)
}

// Chunk is the captured output of sequences [Start, Start+N).
type Chunk struct {
	Start, N, T int
	// QKV maps a captured layer index to its c_attn output: [N, T, 3·E] row-major.
	QKV map[int][]float32
	// Logits: [N, T, V] row-major, when asked for.
	Logits []float32
}

// LayerChunk is one captured layer's c_attn output for sequences
// [Start, Start+N): QKV is [N, T, 3·E] row-major. In CaptureLayers, QKV is
// only valid during the call that receives it (it may be the backend's own
// buffer): copy what you keep.
type LayerChunk struct {
	Layer, Start, N, T int
	QKV                []float32
}

// CaptureChunks runs tokens: [N][T] through the model in chunks of
// opt.BatchSize sequences and hands each chunk's captures to fn, in order.
// The slices in a Chunk are fn's to keep.
func (m *Model) CaptureChunks(tokens [][]int, opt CaptureOptions, fn func(Chunk) error) error {
	qkv := map[int][]float32{}
	return m.run(tokens, opt, func(lc LayerChunk) error {
		qkv[lc.Layer] = slices.Clone(lc.QKV)
		return nil
	}, func(start, n, t int, logits []float32) error {
		c := Chunk{Start: start, N: n, T: t, QKV: qkv, Logits: logits}
		qkv = map[int][]float32{}
		return fn(c)
	})
}

// CaptureLayers is CaptureChunks without logits, handing over each layer's
// output as soon as its block has run, without copying it where the backend
// allows: at most one layer of one chunk is held at a time, whatever the
// number of layers (opt.Logits is ignored). fn must copy what it keeps.
func (m *Model) CaptureLayers(tokens [][]int, opt CaptureOptions, fn func(LayerChunk) error) error {
	opt.Logits = false
	return m.run(tokens, opt, fn, func(int, int, int, []float32) error { return nil })
}

// run checks the input, then runs each chunk: onLayer gets every captured
// layer as it is computed, onChunkEnd the chunk's sequences [start, start+n)
// of t tokens and its logits (nil unless asked) once the chunk is done.
func (m *Model) run(tokens [][]int, opt CaptureOptions, onLayer func(LayerChunk) error, onChunkEnd func(start, n, t int, logits []float32) error) error {
	n := len(tokens)
	if n == 0 {
		return fmt.Errorf("gpt2: no sequences to run")
	}
	t := len(tokens[0])
	if t == 0 {
		return fmt.Errorf("gpt2: empty sequences")
	}
	if t > m.cfg.NPositions {
		return fmt.Errorf("gpt2: sequences of %d tokens are longer than the model's %d positions (n_positions): use a shorter context", t, m.cfg.NPositions)
	}
	for i, row := range tokens {
		if len(row) != t {
			return fmt.Errorf("gpt2: sequence %d has %d tokens, sequence 0 has %d: all sequences must have the same length", i, len(row), t)
		}
		for j, id := range row {
			if id < 0 || id >= m.cfg.VocabSize {
				return fmt.Errorf("gpt2: token %d at sequence %d position %d is outside the vocabulary [0, %d)", id, i, j, m.cfg.VocabSize)
			}
		}
	}
	layers, err := m.layerSet(opt.Layers)
	if err != nil {
		return err
	}
	last := -1
	if len(layers) > 0 {
		last = layers[len(layers)-1]
	}
	depth := last + 1 // blocks to run
	if opt.Logits {
		depth = m.cfg.NLayer
	}
	bs := opt.BatchSize
	if bs <= 0 || bs > n {
		bs = n
	}
	chunks := (n + bs - 1) / bs
	done, total := 0, chunks*max(depth, 1)
	for start := 0; start < n; start += bs {
		end := min(start+bs, n)
		step := func() {
			done++
			if opt.Progress != nil {
				opt.Progress(done, total)
			}
		}
		emit := func(layer int, qkv []float32) error {
			return onLayer(LayerChunk{Layer: layer, Start: start, N: end - start, T: t, QKV: qkv})
		}
		logits, err := m.runChunk(tokens[start:end], layers, depth, opt.Logits, step, emit)
		if err != nil {
			return err
		}
		if err := onChunkEnd(start, end-start, t, logits); err != nil {
			return err
		}
	}
	return nil
}

// layerSet validates and sorts the requested layers (nil: all).
func (m *Model) layerSet(req []int) ([]int, error) {
	if req == nil {
		all := make([]int, m.cfg.NLayer)
		for i := range all {
			all[i] = i
		}
		return all, nil
	}
	out := slices.Clone(req)
	slices.Sort(out)
	out = slices.Compact(out)
	for _, l := range out {
		if l < 0 || l >= m.cfg.NLayer {
			return nil, fmt.Errorf("gpt2: layer %d does not exist: the model has layers 0 to %d", l, m.cfg.NLayer-1)
		}
	}
	return out, nil
}

// runChunk runs one chunk through the first depth blocks, handing each
// captured layer's c_attn output to emit; it returns the logits when asked.
func (m *Model) runChunk(tokens [][]int, layers []int, depth int, logits bool, step func(), emit func(layer int, qkv []float32) error) ([]float32, error) {
	n, t := len(tokens), len(tokens[0])
	flat := make([]int32, 0, n*t)
	for _, row := range tokens {
		for _, id := range row {
			flat = append(flat, int32(id))
		}
	}
	h, err := m.embedExec.Call1(tensors.FromFlatDataAndDimensions(flat, n, t), m.wte, m.wpe)
	if err != nil {
		return nil, fmt.Errorf("gpt2: embedding: %w", err)
	}
	defer func() { _ = h.FinalizeAll() }()
	want := make(map[int]bool, len(layers))
	for _, l := range layers {
		want[l] = true
	}
	for i := range depth {
		args := append([]any{h}, anySlice(m.blocks[i])...)
		var qkv, next *tensors.Tensor
		if i == depth-1 && !logits {
			qkv, err = m.qkvExec.Call1(args...)
		} else {
			var outs []*tensors.Tensor
			outs, err = m.blockExec.Call(args...)
			if err == nil {
				next, qkv = outs[0], outs[1]
			}
		}
		if err != nil {
			return nil, fmt.Errorf("gpt2: block %d: %w", i, err)
		}
		var emitErr error
		if want[i] {
			// A view of the output, without a copy where the backend allows.
			err = tensors.ConstFlatData(qkv, func(flat []float32) { emitErr = emit(i, flat) })
		}
		_ = qkv.FinalizeAll()
		if err != nil {
			return nil, fmt.Errorf("gpt2: reading block %d's qkv: %w", i, err)
		}
		if emitErr != nil {
			return nil, emitErr
		}
		if next != nil {
			_ = h.FinalizeAll()
			h = next
		}
		step()
	}
	if !logits {
		return nil, nil
	}
	lg, err := m.headExec.Call1(h, m.lnfG, m.lnfB, m.wte)
	if err != nil {
		return nil, fmt.Errorf("gpt2: LM head: %w", err)
	}
	defer func() { _ = lg.FinalizeAll() }()
	return tensors.CopyFlatData[float32](lg)
}

func anySlice(ts []*tensors.Tensor) []any {
	out := make([]any, len(ts))
	for i, t := range ts {
		out[i] = t
	}
	return out
}
