package gpt2

import (
	"sync"

	"github.com/gomlx/gomlx/core/tensors"
)

// handOverDepth is how many chunk-layers per lane may wait for the
// receiver before the forward waits in turn: enough to absorb a slow write
// of one layer (a page-cache flush, say) without holding more than a few
// layers of the chunks in flight.
const handOverDepth = 2

// handItem is one thing handed to the receiver: a captured layer or the
// logits of sequences [start, start+n) (tensor, owned by the item), or,
// with end, the end of that chunk.
type handItem struct {
	layer, start, n, t int
	tensor             *tensors.Tensor
	end                bool
}

// handOver runs the receiver's callbacks on a goroutine of its own, in the
// order the items were sent, so that the forward goes on while the receiver
// writes (or sums) what it got. The queue is bounded: send waits when the
// receiver is that far behind.
type handOver struct {
	items chan handItem
	done  chan struct{}

	mu  sync.Mutex
	err error // the receiver's first error; later items are dropped
}

func startHandOver(depth int, onLayer func(LayerChunk) error, onChunkEnd func(start, n, t int) error) *handOver {
	h := &handOver{items: make(chan handItem, depth), done: make(chan struct{})}
	go func() {
		defer close(h.done)
		for it := range h.items {
			if h.failed() == nil {
				h.fail(receive(it, onLayer, onChunkEnd))
			}
			if it.tensor != nil {
				_ = it.tensor.FinalizeAll()
			}
		}
	}()
	return h
}

// receive passes one item to the callbacks, lending the tensor's own data.
func receive(it handItem, onLayer func(LayerChunk) error, onChunkEnd func(start, n, t int) error) error {
	if it.end {
		return onChunkEnd(it.start, it.n, it.t)
	}
	var err error
	readErr := tensors.ConstFlatData(it.tensor, func(flat []float32) {
		lc := LayerChunk{Layer: it.layer, Start: it.start, N: it.n, T: it.t}
		if it.layer == LogitsLayer {
			lc.Logits = flat
		} else {
			lc.QKV = flat
		}
		err = onLayer(lc)
	})
	if readErr != nil {
		return readErr
	}
	return err
}

func (h *handOver) fail(err error) {
	if err == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.err == nil {
		h.err = err
	}
}

func (h *handOver) failed() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.err
}

// send queues it for the receiver, waiting while the queue is full; it
// returns the receiver's error, if any, so that the forward stops.
func (h *handOver) send(it handItem) error {
	if err := h.failed(); err != nil {
		if it.tensor != nil {
			_ = it.tensor.FinalizeAll()
		}
		return err
	}
	h.items <- it
	return nil
}

// finish waits for the receiver to take every item sent and returns the
// first error: the forward's (err), else the receiver's.
func (h *handOver) finish(err error) error {
	close(h.items)
	<-h.done
	if err != nil {
		return err
	}
	return h.failed()
}
