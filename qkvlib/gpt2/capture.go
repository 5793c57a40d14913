package gpt2

import (
	"fmt"
	"slices"
)

// CaptureOptions says what a forward pass keeps.
type CaptureOptions struct {
	// Layers to capture, in any order; nil means every layer.
	Layers []int
	// Logits also computes the LM head's logits. Without it, the forward stops
	// right after the last captured layer's c_attn.
	Logits bool
	// BatchSize is the most sequences a chunk holds; 0 means all of them.
	// Chunks are made as equal in size as possible.
	BatchSize int
	// Lanes is how many chunks run at the same time, block by block, each on
	// its own goroutine; 0 means DefaultLanes. The number of chunks is rounded
	// up to a multiple of it. Chunk sizes change results by float32 rounding
	// at most (the backend may multiply other row counts with another kernel);
	// the lanes themselves do not change them.
	Lanes int
	// LayerMajor runs every chunk through block i before any chunk runs
	// block i+1, so that each layer is handed over whole, its chunks in
	// order, before the next layer begins: what a file holding one layer
	// after another (.npz) needs to be written as it comes. It keeps every
	// chunk's hidden state, [N, T, E] in all (a third of one captured layer);
	// without it only the chunks in flight are kept, whatever N.
	LayerMajor bool
	// Progress, if set, is called after each block of each chunk with the
	// number of block-passes done and the total.
	Progress func(done, total int)
}

// DefaultLanes is how many chunks run at once unless CaptureOptions.Lanes
// says otherwise. Two keep both cores busy on the go backend, whose
// element-wise ops run on one core and whose matrix products split unevenly
// (measured: a gpt2-large block 1.2-1.3x faster than one chunk at a time).
const DefaultLanes = 2

// Chunk is the captured output of sequences [Start, Start+N).
type Chunk struct {
	Start, N, T int
	// QKV maps a captured layer index to its c_attn output: [N, T, 3·E] row-major.
	QKV map[int][]float32
	// Logits: [N, T, V] row-major, when asked for.
	Logits []float32
}

// LayerChunk is one captured layer's c_attn output for sequences
// [Start, Start+N): QKV is [N, T, 3·E] row-major; or, when Layer is
// LogitsLayer, the chunk's logits: Logits is [N, T, V] row-major. In
// CaptureLayers, the slices are only valid during the call that receives
// them (they may be the backend's own buffers): copy what you keep.
type LayerChunk struct {
	Layer, Start, N, T int
	QKV                []float32
	Logits             []float32
}

// LogitsLayer is LayerChunk.Layer for a chunk's logits, handed over by
// CaptureLayers after the chunk's last block when CaptureOptions.Logits is set.
const LogitsLayer = -1

// CaptureChunks runs tokens: [N][T] through the model in chunks of at most
// opt.BatchSize sequences and hands each chunk's captures to fn, in order.
// The slices in a Chunk are fn's to keep. fn runs on a goroutine of its own,
// beside the forward (see CaptureLayers).
func (m *Model) CaptureChunks(tokens [][]int, opt CaptureOptions, fn func(Chunk) error) error {
	chunks := map[int]*Chunk{} // by Start
	return m.run(tokens, opt, func(lc LayerChunk) error {
		c := chunks[lc.Start]
		if c == nil {
			c = &Chunk{Start: lc.Start, N: lc.N, T: lc.T, QKV: map[int][]float32{}}
			chunks[lc.Start] = c
		}
		if lc.Layer == LogitsLayer {
			c.Logits = slices.Clone(lc.Logits)
		} else {
			c.QKV[lc.Layer] = slices.Clone(lc.QKV)
		}
		return nil
	}, func(start, n, t int) error {
		c := chunks[start]
		if c == nil {
			c = &Chunk{Start: start, N: n, T: t, QKV: map[int][]float32{}}
		}
		delete(chunks, start)
		return fn(*c)
	})
}

// CaptureLayers runs tokens: [N][T] through the model and hands over each
// captured layer of each chunk as soon as its block has run, without copying
// it where the backend allows; with opt.Logits each chunk's logits follow its
// last block (Layer == LogitsLayer). For each layer, chunks come in order of
// Start; a chunk's layers come in order, but may interleave with the layers of
// the chunks running beside it (with opt.LayerMajor, a layer's chunks all
// come before the next layer).
//
// fn runs on a goroutine of its own, one call at a time, while the forward
// goes on with the next blocks: the forward never waits for fn (a disk write,
// say) unless fn falls behind by more than handOverDepth chunk-layers, which
// bounds the memory held. The slices fn gets are valid only during the call:
// fn must copy what it keeps. After fn returns an error, the forward stops at
// the next block and CaptureLayers returns that error.
func (m *Model) CaptureLayers(tokens [][]int, opt CaptureOptions, fn func(LayerChunk) error) error {
	return m.run(tokens, opt, fn, func(int, int, int) error { return nil })
}

// checkTokens checks that tokens: [N][T] is a non-empty batch of equally long
// sequences of ids in the vocabulary, no longer than the model's positions.
func (m *Model) checkTokens(tokens [][]int) error {
	if len(tokens) == 0 {
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
	return nil
}

func (o CaptureOptions) lanes() int {
	if o.Lanes <= 0 {
		return DefaultLanes
	}
	return o.Lanes
}

// chunkBounds splits n sequences into chunks of at most bs (0: n), as equal as
// possible, their count a multiple of lanes where n allows; it returns each
// chunk's [start, end).
func chunkBounds(n, bs, lanes int) [][2]int {
	if bs <= 0 || bs > n {
		bs = n
	}
	k := (n + bs - 1) / bs
	if k > 1 {
		k = min(n, (k+lanes-1)/lanes*lanes)
	}
	out := make([][2]int, k)
	start := 0
	for i := range out {
		size := n / k
		if i < n%k {
			size++
		}
		out[i] = [2]int{start, start + size}
		start += size
	}
	return out
}

// layerSet validates and sorts the requested layers (nil: all).
func (m *Model) layerSet(req []int) ([]int, error) {
	if req == nil {
		all := make([]int, m.cfg.NLayers)
		for i := range all {
			all[i] = i
		}
		return all, nil
	}
	out := slices.Clone(req)
	slices.Sort(out)
	out = slices.Compact(out)
	for _, l := range out {
		if l < 0 || l >= m.cfg.NLayers {
			return nil, fmt.Errorf("gpt2: layer %d does not exist: the model has layers 0 to %d", l, m.cfg.NLayers-1)
		}
	}
	return out, nil
}
