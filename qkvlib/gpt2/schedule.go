package gpt2

import (
	"cmp"
	"fmt"
	"iter"
	"slices"
	"sync"

	"github.com/gomlx/gomlx/core/tensors"
)

// This file is the scheduler: it runs Model.forward on every chunk, a few
// chunks side by side (lanes), and hands their outputs over in order. It
// knows nothing of what a block computes.

// run checks the input, plans the chunks and runs them: onLayer gets every
// captured layer (and the logits, if asked) on the hand-over goroutine,
// onChunkEnd each chunk's sequences [start, start+n) of t tokens once the
// chunk's last output was handed over.
func (m *Model) run(tokens [][]int, opt CaptureOptions, onLayer func(LayerChunk) error, onChunkEnd func(start, n, t int) error) error {
	if err := m.checkTokens(tokens); err != nil {
		return err
	}
	layers, err := m.layerSet(opt.Layers)
	if err != nil {
		return err
	}
	depth := 0 // blocks to run: up to the last captured layer, or all for the logits
	if len(layers) > 0 {
		depth = layers[len(layers)-1] + 1
	}
	if opt.Logits {
		depth = m.cfg.NLayers
	}
	s := &schedule{m: m, tokens: tokens, depth: depth, logits: opt.Logits, want: map[int]bool{}}
	for _, l := range layers {
		s.want[l] = true
	}
	chunks := chunkBounds(len(tokens), opt.BatchSize, opt.lanes())
	total := len(chunks) * max(depth, 1)
	s.step = func() {
		s.done++
		if opt.Progress != nil {
			opt.Progress(s.done, total)
		}
	}
	s.out = startHandOver(handOverDepth*opt.lanes(), onLayer, onChunkEnd)
	err = s.runChunks(chunks, opt.lanes(), opt.LayerMajor)
	return s.out.finish(err)
}

// schedule is one run's state.
type schedule struct {
	m      *Model
	tokens [][]int
	depth  int
	logits bool
	want   map[int]bool // captured layers
	out    *handOver
	step   func() // progress, after each block of each chunk
	done   int
}

// lane is one chunk's forward in progress.
type lane struct {
	start, end int
	next       func() (output, bool) // the forward's next step
	stop       func()
	cur        output
}

// runChunks runs the chunks' forwards, group of lanes after group, each
// group's chunks side by side; with layerMajor, every chunk takes block i
// before any takes block i+1. A forward is stopped (its hidden state freed)
// as soon as its chunk has ended, or on error.
func (s *schedule) runChunks(chunks [][2]int, lanes int, layerMajor bool) error {
	var live []*lane // forwards started and not yet stopped
	stopLive := func() {
		for _, l := range live {
			l.stop()
		}
		live = live[:0]
	}
	defer stopLive()
	start := func(b [][2]int) []*lane {
		g := s.startLanes(b)
		live = append(live, g...)
		return g
	}
	steps := s.depth
	if s.logits {
		steps++
	}
	if layerMajor {
		var groups [][]*lane
		for b := range slices.Chunk(chunks, lanes) {
			groups = append(groups, start(b))
		}
		for range steps {
			for _, g := range groups {
				if err := s.advance(g); err != nil {
					return err
				}
			}
		}
		return s.endChunks(groups...)
	}
	for b := range slices.Chunk(chunks, lanes) {
		g := start(b)
		for range steps {
			if err := s.advance(g); err != nil {
				return err
			}
		}
		if err := s.endChunks(g); err != nil {
			return err
		}
		stopLive()
	}
	return nil
}

// startLanes prepares one forward per chunk of bounds; none runs yet.
func (s *schedule) startLanes(bounds [][2]int) []*lane {
	t := len(s.tokens[0])
	out := make([]*lane, len(bounds))
	for i, b := range bounds {
		flat := make([]int32, 0, (b[1]-b[0])*t)
		for _, row := range s.tokens[b[0]:b[1]] {
			for _, id := range row {
				flat = append(flat, int32(id))
			}
		}
		tok := tensors.FromFlatDataAndDimensions(flat, b[1]-b[0], t) // [n, T]
		next, stop := iter.Pull(s.m.forward(tok, s.depth, s.logits))
		out[i] = &lane{start: b[0], end: b[1], next: next, stop: stop}
	}
	return out
}

// advance runs the next step of every lane of g at once, then hands the
// outputs over in chunk order: captured layers and logits to the hand-over
// goroutine, the other layers freed at once.
func (s *schedule) advance(g []*lane) error {
	eachLane(g, func(l *lane) {
		var ok bool
		if l.cur, ok = l.next(); !ok {
			l.cur = output{err: fmt.Errorf("gpt2: the forward of sequences [%d, %d) ended early", l.start, l.end)}
		}
	})
	var first error
	for _, l := range g {
		o := l.cur
		l.cur = output{}
		switch {
		case o.err != nil || first != nil:
			first = cmp.Or(first, o.err)
			if o.tensor != nil {
				_ = o.tensor.FinalizeAll()
			}
			continue
		case o.layer == headLayer || s.want[o.layer]:
			first = s.out.send(handItem{layer: o.layer, start: l.start, n: l.end - l.start, t: len(s.tokens[0]), tensor: o.tensor})
		default:
			_ = o.tensor.FinalizeAll()
		}
		if o.layer != headLayer {
			s.step()
		}
	}
	return first
}

// endChunks hands over the end of each chunk of the groups, in order.
func (s *schedule) endChunks(groups ...[]*lane) error {
	for _, g := range groups {
		for _, l := range g {
			if err := s.out.send(handItem{end: true, start: l.start, n: l.end - l.start, t: len(s.tokens[0])}); err != nil {
				return err
			}
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
