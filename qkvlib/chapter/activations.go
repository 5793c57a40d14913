package chapter

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/qkvport/qkv/qkvlib/store"
	"github.com/qkvport/qkv/qkvlib/tensor"
)

// Activations are the book's `activations` dictionary: the c_attn output of
// the chosen layers of a model on a batch, "attn_{i}_qkv" [N, T, 3·n_emb],
// kept in the on-disk store under a key made of the model's revision, the
// batch's tokens and the layers. The first Layer (or Capture) of a batch the
// store lacks captures it, once, through the options' Engine; after that
// Layer reopens it memory-mapped, in about a millisecond, in any program.
type Activations struct {
	Model  *Model
	Batch  [][]int // [N, T]: the target last in each row
	Layers []int   // increasing
	// TargetWord and TextSHA256 describe the batch in the store's meta.json
	// (optional; they are not part of the key).
	TargetWord, TextSHA256 string

	opt Options
	key string
	s   *store.Store
}

// NewActivations names the activations of layers (nil: every layer) of model
// on batch, in the store under opt.CacheDir. Nothing is read or captured
// until Layer or Capture is called.
func NewActivations(model *Model, batch [][]int, layers []int, opt Options) *Activations {
	if model == nil {
		return &Activations{Batch: batch, opt: opt}
	}
	if layers == nil {
		for i := range model.Config.NLayers {
			layers = append(layers, i)
		}
	}
	layers = slices.Clone(layers)
	slices.Sort(layers)
	layers = slices.Compact(layers)
	return &Activations{Model: model, Batch: batch, Layers: layers, opt: opt,
		key: store.Key("qkvlib-capture-v2", model.Repo, model.Revision, TokensHash(batch), fmt.Sprint(layers))}
}

// Key is the activations' key in the store.
func (a *Activations) Key() string { return a.key }

// Options are the options the activations were named with.
func (a *Activations) Options() Options { return a.opt }

// Root is the store's root folder.
func (a *Activations) Root() (string, error) {
	if a.opt.CacheDir != "" {
		return a.opt.CacheDir, nil
	}
	return store.DefaultRoot()
}

// Stored reports whether the store holds these activations.
func (a *Activations) Stored() bool { return a.open() == nil }

// Capture is the book's forward hooks and model(batch): unless the store
// holds these activations, it runs GPT-2 over the batch through the options'
// Engine and stores the c_attn output of the layers, saying why on the log.
func (a *Activations) Capture(ctx context.Context) error {
	if err := a.check(); err != nil {
		return err
	}
	if a.open() == nil {
		return nil
	}
	if err := a.checkWindows(); err != nil {
		return err
	}
	root, err := a.Root()
	if err != nil {
		return err
	}
	fmt.Fprintf(a.opt.LogWriter(), "Running GPT-2 over %d windows of %d tokens: %s\n", len(a.Batch), len(a.Batch[0]), a.why(ctx, root))
	if err := a.opt.engine().Capture(ctx, a); err != nil {
		return err
	}
	return a.open()
}

// check returns an error when the activations cannot exist: no model, an
// empty batch, no layer or a layer the model lacks.
func (a *Activations) check() error {
	switch {
	case a == nil || a.Model == nil:
		return errors.New("chapter: activations of no model")
	case len(a.Batch) == 0:
		return errors.New("chapter: the batch is empty: no target survived (check the target word and contextwin)")
	case len(a.Layers) == 0:
		return errors.New("chapter: no layer to capture (hook_layers is empty)")
	}
	for _, l := range a.Layers {
		if l < 0 || l >= a.Model.Config.NLayers {
			return fmt.Errorf("chapter: layer %d does not exist: %s has layers 0 to %d", l, a.Model.Name, a.Model.Config.NLayers-1)
		}
	}
	return nil
}

// checkWindows returns an error when the batch is not the chapter's
// windows, before GPT-2 runs on it: rows of different lengths, fewer than 2
// tokens or more than the model's positions, or rows that do not all end on
// the same token (the target).
func (a *Activations) checkWindows() error {
	t := len(a.Batch[0])
	if t < 2 {
		return fmt.Errorf("chapter: the batch's rows hold %d token: a target and a token before it need 2", t)
	}
	if t > a.Model.Config.NPositions {
		return fmt.Errorf("chapter: the batch's rows hold %d tokens, more than %s's %d positions: use a smaller context", t, a.Model.Name, a.Model.Config.NPositions)
	}
	target := a.Batch[0][t-1]
	for i, row := range a.Batch {
		if len(row) != t {
			return fmt.Errorf("chapter: row %d of the batch holds %d tokens, row 0 %d: every window needs contextwin+1 tokens", i, len(row), t)
		}
		if row[t-1] != target {
			return fmt.Errorf("chapter: every row of the batch must end on the target token; row 0 ends on %d, row %d on %d: a window is tokens[i-contextwin : i+1]", target, i, row[t-1])
		}
	}
	return nil
}

// open opens the store once.
func (a *Activations) open() error {
	if a.s != nil {
		return nil
	}
	root, err := a.Root()
	if err != nil {
		return err
	}
	s, err := store.Open(root, a.key)
	if err != nil {
		return err
	}
	a.s = s
	return nil
}

// Layer returns layer i's c_attn output, activations[f'attn_{i}_qkv']:
// [N, T, 3·n_emb], memory-mapped (valid until Close). When the store lacks
// the batch, it is captured first (see Capture).
func (a *Activations) Layer(i int) (tensor.Tensor3, error) {
	if err := a.check(); err != nil {
		return tensor.Tensor3{}, err
	}
	if _, ok := slices.BinarySearch(a.Layers, i); !ok {
		if i < 0 || i >= a.Model.Config.NLayers {
			return tensor.Tensor3{}, fmt.Errorf("chapter: layer %d does not exist: %s has layers 0 to %d", i, a.Model.Name, a.Model.Config.NLayers-1)
		}
		return tensor.Tensor3{}, fmt.Errorf("chapter: layer %d was not hooked (hook_layers %v)", i, a.Layers)
	}
	if err := a.open(); errors.Is(err, store.ErrNotFound) {
		err = a.Capture(context.Background())
		if err != nil {
			return tensor.Tensor3{}, err
		}
	} else if err != nil {
		return tensor.Tensor3{}, err
	}
	m := a.s.Meta()
	data, err := a.s.Layer(i)
	if err != nil {
		return tensor.Tensor3{}, fmt.Errorf("chapter: %s: %w", store.LayerName(i), err)
	}
	// The target and the token before it, which the chapter's statistics read,
	// asked of the disk all at once rather than one page fault at a time.
	a.s.ReadAhead(i, -2, -1)
	return tensor.New(data, m.N, m.T, 3*m.NEmb)
}

// Get returns the layer by its name, activations["attn_6_qkv"].
func (a *Activations) Get(name string) (tensor.Tensor3, error) {
	var i int
	if _, err := fmt.Sscanf(name, "attn_%d_qkv", &i); err != nil || store.LayerName(i) != name {
		return tensor.Tensor3{}, fmt.Errorf("chapter: %q is not a name of the form attn_{i}_qkv", name)
	}
	return a.Layer(i)
}

// Names lists the layers by the book's names, in layer order.
func (a *Activations) Names() []string {
	if a == nil {
		return nil
	}
	var out []string
	for _, l := range a.Layers {
		out = append(out, store.LayerName(l))
	}
	return out
}

// Release lets the operating system drop layer i's pages from memory until
// they are read again; values returned by Layer stay valid.
func (a *Activations) Release(i int) {
	if a != nil && a.s != nil {
		a.s.Release(i)
	}
}

// Meta describes the stored batch: model, shapes, tokens. It does not capture.
func (a *Activations) Meta() (store.Meta, error) {
	if err := a.open(); err != nil {
		return store.Meta{}, err
	}
	return a.s.Meta(), nil
}

// Dir is the store's folder ("" until opened).
func (a *Activations) Dir() string {
	if a.s == nil {
		return ""
	}
	return a.s.Dir()
}

// ExportNPZ writes the given layers (nil: all) and the batch's tokens to a
// numpy .npz file. It does not capture.
func (a *Activations) ExportNPZ(path string, layers []int) error {
	if err := a.open(); err != nil {
		return err
	}
	return a.s.ExportNPZ(path, layers)
}

// Close unmaps the layers.
func (a *Activations) Close() error {
	if a.s == nil {
		return nil
	}
	err := a.s.Close()
	a.s = nil
	return err
}

// why says in a few words why the batch is captured: what differs from the
// newest store of the same model, if any.
func (a *Activations) why(ctx context.Context, root string) string {
	decode := a.decoder(ctx)
	t := len(a.Batch[0])
	target := a.Batch[0][t-1]
	if a.TargetWord == "" {
		a.TargetWord = decode(target)
	}
	prev, ok := store.Latest(root, func(m store.Meta) bool {
		return m.Model == a.Model.Name && m.Revision == a.Model.Revision && len(m.Tokens) > 0
	})
	if !ok {
		return fmt.Sprintf("no activations of %s are stored yet (%s)", a.Model.Name, root)
	}
	var changes []string
	if prevTarget := prev.Tokens[0][prev.T-1]; prevTarget != target {
		changes = append(changes, fmt.Sprintf("the target changed from %s to %s", decodeQ(decode, prevTarget), decodeQ(decode, target)))
	}
	if prev.T != t {
		changes = append(changes, fmt.Sprintf("the context changed from %d to %d tokens", prev.T-1, t-1))
	}
	if prev.N != len(a.Batch) {
		changes = append(changes, fmt.Sprintf("%d windows instead of %d", len(a.Batch), prev.N))
	}
	if !slices.Equal(prev.Layers, a.Layers) {
		changes = append(changes, fmt.Sprintf("the layers changed from %s to %s", layerRange(prev.Layers), layerRange(a.Layers)))
	}
	if len(changes) == 0 {
		changes = append(changes, "the windows' tokens changed (another text?)")
	}
	return strings.Join(changes, "; ") + " since the last capture"
}

// decoder returns a function that shows a token id as its text, or its
// number when the tokenizer cannot be loaded from the cache.
func (a *Activations) decoder(ctx context.Context) func(int) string {
	o := a.opt
	o.Offline = true
	tok, err := LoadTokenizer(ctx, o.Tokenizer, o)
	return func(id int) string {
		if err == nil {
			if s, err := tok.Decode([]int{id}); err == nil {
				return s
			}
		}
		return fmt.Sprintf("token %d", id)
	}
}

func decodeQ(decode func(int) string, id int) string { return fmt.Sprintf("%q", decode(id)) }

// layerRange writes increasing layers compactly: "0–35", or the list.
func layerRange(l []int) string {
	if len(l) > 2 && l[len(l)-1]-l[0] == len(l)-1 {
		return fmt.Sprintf("%d–%d", l[0], l[len(l)-1])
	}
	return fmt.Sprint(l)
}

// TokensHash is a hex sha256 of a batch of token ids.
func TokensHash(batch [][]int) string {
	h := sha256.New()
	var b [4]byte
	for _, row := range batch {
		binary.LittleEndian.PutUint32(b[:], uint32(len(row)))
		h.Write(b[:])
		for _, id := range row {
			binary.LittleEndian.PutUint32(b[:], uint32(id))
			h.Write(b[:])
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}
