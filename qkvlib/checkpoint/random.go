package checkpoint

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/qkvport/qkv/internal/atomicfile"
)

// RandomOptions tune WriteRandom. The zero value writes float32, seed 0,
// scale 0.1, canonical names, no buffers.
type RandomOptions struct {
	// Seed fixes the values: equal seeds, configs and dtypes give equal files.
	Seed int64
	// Scale is the standard deviation of the normal weights and biases;
	// LayerNorm gains are 1 + Scale·N(0, 1). Default 0.1.
	Scale float32
	// DType is "F32" (default), "F16" or "BF16".
	DType string
	// Prefix names the weights "transformer.…" and adds lm_head.weight (a
	// copy of wte.weight), as GPT2LMHeadModel files do.
	Prefix bool
	// Buffers adds the attention mask buffers older GPT-2 files carry:
	// h.{i}.attn.bias [1, 1, n_positions, n_positions] (lower triangle ones)
	// and h.{i}.attn.masked_bias [] (-1e4).
	Buffers bool
}

// chunkLen is how many values one worker generates at a time.
const chunkLen = 1 << 20

// randomTensor is one tensor WriteRandom writes.
type randomTensor struct {
	name  string // as written
	seed  string // names the random stream (lm_head shares wte's)
	shape []int
	count int64
	fill  func(dst []float32, start int64, rng *rand.Rand)
}

// WriteRandom writes dir/config.json and dir/model.safetensors: a GPT-2 of
// config cfg with random weights, in HuggingFace's layout. The weights are
// generated in parallel and streamed to disk, so a gpt2-large-shaped file
// (3.1 GB in float32) never sits in memory. Each file is written to a
// temporary name and renamed into place; dir is created if needed.
func WriteRandom(dir string, cfg Config, opt RandomOptions) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	if opt.Scale == 0 {
		opt.Scale = 0.1
	}
	if opt.DType == "" {
		opt.DType = "F32"
	}
	if !floatDType(opt.DType) {
		return fmt.Errorf("checkpoint: WriteRandom: dtype %q is not one of F32, F16, BF16", opt.DType)
	}
	size, _ := dtypeSize(opt.DType)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("checkpoint: WriteRandom: %w", err)
	}
	tensors := randomTensors(cfg, opt)

	// The header: offsets follow the order the tensors are written in.
	header := map[string]any{"__metadata__": map[string]string{"format": "pt"}}
	var off int64
	for _, t := range tensors {
		n := t.count * size
		header[t.name] = rawEntry{DType: opt.DType, Shape: t.shape, DataOffsets: []int64{off, off + n}}
		off += n
	}
	head, err := json.Marshal(header)
	if err != nil {
		return fmt.Errorf("checkpoint: WriteRandom: %w", err)
	}
	if pad := (8 - len(head)%8) % 8; pad > 0 { // the data starts 8-byte aligned, as safetensors writes it
		head = append(head, strings.Repeat(" ", pad)...)
	}

	// The model first, config.json last: a folder with a config.json has its weights.
	err = writeBuffered(filepath.Join(dir, "model.safetensors"), func(w *bufio.Writer) error {
		var n [8]byte
		binary.LittleEndian.PutUint64(n[:], uint64(len(head)))
		w.Write(n[:])
		w.Write(head)
		return streamTensors(w, tensors, opt)
	})
	if err != nil {
		return err
	}
	conf, _ := json.MarshalIndent(configFile{
		Activation: cfg.Activation, Architectures: []string{"GPT2LMHeadModel"}, InitializerRange: opt.Scale,
		LayerNormEps: cfg.LayerNormEps, ModelType: "gpt2", NCtx: cfg.NPositions, NEmb: cfg.NEmb,
		NHeads: cfg.NHeads, NLayers: cfg.NLayers, NPositions: cfg.NPositions, VocabSize: cfg.VocabSize,
	}, "", "  ")
	if err := atomicfile.WriteFile(filepath.Join(dir, "config.json"), append(conf, '\n')); err != nil {
		return fmt.Errorf("checkpoint: WriteRandom: %w", err)
	}
	return nil
}

// randomTensors lists what WriteRandom writes, in file order.
func randomTensors(cfg Config, opt RandomOptions) []randomTensor {
	prefix := ""
	if opt.Prefix {
		prefix = "transformer."
	}
	scale := float64(opt.Scale)
	normal := func(mean float64) func([]float32, int64, *rand.Rand) {
		return func(dst []float32, _ int64, rng *rand.Rand) {
			for i := range dst {
				dst[i] = float32(mean + scale*rng.NormFloat64())
			}
		}
	}
	var out []randomTensor
	add := func(name, seed string, shape []int, fill func([]float32, int64, *rand.Rand)) {
		count := int64(1)
		for _, d := range shape {
			count *= int64(d)
		}
		out = append(out, randomTensor{name: name, seed: seed, shape: shape, count: count, fill: fill})
	}
	for _, s := range cfg.TensorSpecs() {
		mean := 0.0
		if strings.HasSuffix(s.Name, "ln_1.weight") || strings.HasSuffix(s.Name, "ln_2.weight") || s.Name == "ln_f.weight" {
			mean = 1
		}
		add(prefix+s.Name, s.Name, s.Shape, normal(mean))
		if opt.Buffers && strings.HasSuffix(s.Name, ".attn.c_proj.bias") {
			block := strings.TrimSuffix(s.Name, "c_proj.bias")
			p := int64(cfg.NPositions)
			add(prefix+block+"bias", "", []int{1, 1, cfg.NPositions, cfg.NPositions}, func(dst []float32, start int64, _ *rand.Rand) {
				for i := range dst {
					e := start + int64(i)
					if e%p <= e/p%p {
						dst[i] = 1
					} else {
						dst[i] = 0
					}
				}
			})
			add(prefix+block+"masked_bias", "", []int{}, func(dst []float32, _ int64, _ *rand.Rand) { dst[0] = -1e4 })
		}
	}
	if opt.Prefix {
		add("lm_head.weight", "wte.weight", []int{cfg.VocabSize, cfg.NEmb}, normal(0))
	}
	return out
}

// streamTensors generates the tensors chunk by chunk on every CPU and writes
// them in order. Each chunk draws from its own stream, seeded by the seed,
// the tensor and the chunk's index, so the file does not depend on the
// number of CPUs.
func streamTensors(w *bufio.Writer, tensors []randomTensor, opt RandomOptions) error {
	type job struct {
		t     *randomTensor
		start int64
		n     int
		out   chan []byte
	}
	size, _ := dtypeSize(opt.DType)
	workers := runtime.GOMAXPROCS(0)
	jobs := make(chan job)
	queue := make(chan job, 2*workers)
	bufs := sync.Pool{New: func() any { b := make([]byte, chunkLen*size); return &b }}
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			vals := make([]float32, chunkLen)
			for j := range jobs {
				v := vals[:j.n]
				var rng *rand.Rand
				if j.t.seed != "" {
					h := fnv.New64a()
					h.Write([]byte(j.t.seed))
					rng = rand.New(rand.NewPCG(uint64(opt.Seed), h.Sum64()^uint64(j.start/chunkLen)*0x9e3779b97f4a7c15))
				}
				j.t.fill(v, j.start, rng)
				bp := bufs.Get().(*[]byte)
				j.out <- encode((*bp)[:int64(j.n)*size], v, opt.DType)
			}
		})
	}
	go func() { // the producer
		for i := range tensors {
			t := &tensors[i]
			for start := int64(0); start < t.count; start += chunkLen {
				j := job{t: t, start: start, n: int(min(chunkLen, t.count-start)), out: make(chan []byte, 1)}
				queue <- j
				jobs <- j
			}
		}
		close(jobs)
		close(queue)
	}()
	var err error
	for j := range queue {
		b := <-j.out
		if err == nil {
			_, err = w.Write(b)
		}
		bufs.Put(&b)
	}
	wg.Wait()
	return err
}

// encode writes vals into dst (len(vals)·size bytes) as little-endian dtype.
func encode(dst []byte, vals []float32, dtype string) []byte {
	switch dtype {
	case "F32":
		for i, v := range vals {
			binary.LittleEndian.PutUint32(dst[4*i:], math.Float32bits(v))
		}
	case "F16":
		for i, v := range vals {
			binary.LittleEndian.PutUint16(dst[2*i:], f32ToF16(v))
		}
	case "BF16":
		for i, v := range vals {
			binary.LittleEndian.PutUint16(dst[2*i:], f32ToBF16(v))
		}
	}
	return dst
}

// writeBuffered writes path atomically through a 4 MiB buffer.
func writeBuffered(path string, write func(*bufio.Writer) error) error {
	err := atomicfile.Write(path, func(f io.Writer) error {
		w := bufio.NewWriterSize(f, 4<<20)
		if err := write(w); err != nil {
			return err
		}
		return w.Flush()
	})
	if err != nil {
		return fmt.Errorf("checkpoint: WriteRandom: %w", err)
	}
	return nil
}
