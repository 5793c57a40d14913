package gpt2

import (
	"fmt"
	"slices"
	"sync"

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
	// BatchSize is the most sequences a chunk holds; 0 means all of them.
	// Chunks are made as equal in size as possible.
	BatchSize int
	// Lanes is how many chunks run at the same time, block by block, each on
	// its own goroutine; 0 means DefaultLanes. The number of chunks is rounded
	// up to a multiple of it. Chunk sizes change results by float32 rounding
	// at most (the backend may multiply other row counts with another kernel);
	// the lanes themselves do not change them.
	Lanes int
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
// [Start, Start+N): QKV is [N, T, 3·E] row-major. In CaptureLayers, QKV is
// only valid during the call that receives it (it may be the backend's own
// buffer): copy what you keep.
type LayerChunk struct {
	Layer, Start, N, T int
	QKV                []float32
}

// CaptureChunks runs tokens: [N][T] through the model in chunks of at most
// opt.BatchSize sequences and hands each chunk's captures to fn, in order.
// The slices in a Chunk are fn's to keep.
func (m *Model) CaptureChunks(tokens [][]int, opt CaptureOptions, fn func(Chunk) error) error {
	qkv := map[int]map[int][]float32{} // chunk start → layer → [N, T, 3E]
	return m.run(tokens, opt, func(lc LayerChunk) error {
		if qkv[lc.Start] == nil {
			qkv[lc.Start] = map[int][]float32{}
		}
		qkv[lc.Start][lc.Layer] = slices.Clone(lc.QKV)
		return nil
	}, func(start, n, t int, logits []float32) error {
		c := Chunk{Start: start, N: n, T: t, QKV: qkv[start], Logits: logits}
		if c.QKV == nil {
			c.QKV = map[int][]float32{}
		}
		delete(qkv, start)
		return fn(c)
	})
}

// CaptureLayers is CaptureChunks without logits, handing over each layer's
// output as soon as its block has run, without copying it where the backend
// allows: at most one layer of opt.Lanes chunks is held at a time, whatever
// the number of layers (opt.Logits is ignored). For each layer, chunks come
// in order of Start; a chunk's layers come in order, but may interleave with
// the layers of the chunks running beside it. fn must copy what it keeps.
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
		depth = m.cfg.NLayers
	}
	chunks := chunkBounds(n, opt.BatchSize, opt.lanes())
	done, total := 0, len(chunks)*max(depth, 1)
	step := func() {
		done++
		if opt.Progress != nil {
			opt.Progress(done, total)
		}
	}
	for len(chunks) > 0 {
		group := chunks[:min(opt.lanes(), len(chunks))]
		chunks = chunks[len(group):]
		if err := m.runGroup(tokens, group, layers, depth, opt.Logits, step, onLayer, onChunkEnd); err != nil {
			return err
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

// lane is one chunk's state while its group runs: h: [n, T, E] between blocks.
type lane struct {
	start, end int
	h          *tensors.Tensor
	qkv, next  *tensors.Tensor
	err        error
}

// runGroup runs a group of chunks through depth blocks side by side: each
// block runs for every chunk at once (one goroutine per chunk), then the
// captured layers are handed to emit in chunk order. Logits, if asked, follow
// the last block.
func (m *Model) runGroup(tokens [][]int, bounds [][2]int, layers []int, depth int, logits bool,
	step func(), onLayer func(LayerChunk) error, onChunkEnd func(start, n, t int, logits []float32) error) (err error) {
	t := len(tokens[0])
	lanes := make([]*lane, len(bounds))
	defer func() {
		for _, l := range lanes {
			if l == nil {
				continue
			}
			for _, x := range []*tensors.Tensor{l.h, l.qkv, l.next} {
				if x != nil {
					_ = x.FinalizeAll()
				}
			}
		}
	}()
	for i, b := range bounds {
		l := &lane{start: b[0], end: b[1]}
		lanes[i] = l
		flat := make([]int32, 0, (l.end-l.start)*t)
		for _, row := range tokens[l.start:l.end] {
			for _, id := range row {
				flat = append(flat, int32(id))
			}
		}
		if l.h, err = m.embedExec.Call1(tensors.FromFlatDataAndDimensions(flat, l.end-l.start, t), m.wte, m.wpe); err != nil {
			return fmt.Errorf("gpt2: embedding: %w", err)
		}
	}
	want := make(map[int]bool, len(layers))
	for _, l := range layers {
		want[l] = true
	}
	for i := range depth {
		last := i == depth-1 && !logits
		eachLane(lanes, func(l *lane) {
			args := append([]any{l.h}, anySlice(m.blocks[i])...)
			if last {
				l.qkv, l.err = m.qkvExec.Call1(args...)
				return
			}
			var outs []*tensors.Tensor
			if outs, l.err = m.blockExec.Call(args...); l.err == nil {
				l.next, l.qkv = outs[0], outs[1]
			}
		})
		for _, l := range lanes {
			if l.err != nil {
				return fmt.Errorf("gpt2: block %d: %w", i, l.err)
			}
		}
		for _, l := range lanes {
			var emitErr error
			if want[i] {
				// Lent, not copied: the callback must copy what it keeps.
				err = tensors.ConstFlatData(l.qkv, func(flat []float32) {
					emitErr = onLayer(LayerChunk{Layer: i, Start: l.start, N: l.end - l.start, T: t, QKV: flat})
				})
			}
			_ = l.qkv.FinalizeAll()
			l.qkv = nil
			if err != nil {
				return fmt.Errorf("gpt2: reading block %d's qkv: %w", i, err)
			}
			if emitErr != nil {
				return emitErr
			}
			if l.next != nil {
				_ = l.h.FinalizeAll()
				l.h, l.next = l.next, nil
			}
			step()
		}
	}
	for _, l := range lanes {
		var out []float32
		if logits {
			lg, err := m.headExec.Call1(l.h, m.lnfG, m.lnfB, m.wte)
			if err != nil {
				return fmt.Errorf("gpt2: LM head: %w", err)
			}
			out, err = tensors.CopyFlatData[float32](lg)
			_ = lg.FinalizeAll()
			if err != nil {
				return fmt.Errorf("gpt2: reading logits: %w", err)
			}
		}
		if err := onChunkEnd(l.start, l.end-l.start, t, out); err != nil {
			return err
		}
	}
	return nil
}

// eachLane runs fn on every lane at once and waits for all.
func eachLane(lanes []*lane, fn func(*lane)) {
	if len(lanes) == 1 {
		fn(lanes[0])
		return
	}
	var wg sync.WaitGroup
	for _, l := range lanes {
		wg.Go(func() { fn(l) })
	}
	wg.Wait()
}

func anySlice(ts []*tensors.Tensor) []any {
	out := make([]any, len(ts))
	for i, t := range ts {
		out[i] = t
	}
	return out
}
