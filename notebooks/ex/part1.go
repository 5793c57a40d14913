package ex

import (
	"fmt"
	"slices"
	"strings"

	"github.com/qkvport/qkv/qkvlib/bpe"
	"github.com/qkvport/qkv/qkvlib/chapter"
	"github.com/qkvport/qkv/qkvlib/tensor"
)

// The book's inputs, which the exercise's blanks of literal values ask for.
const (
	BookWord    = " like"
	BookContext = 50
)

// configField names the field of model.Config that holds v, "" for none.
func configField(m *chapter.Model, v int) string {
	c := m.Config
	for _, f := range []struct {
		name string
		v    int
	}{{"NEmb", c.NEmb}, {"NLayers", c.NLayers}, {"NHeads", c.NHeads}, {"NPositions", c.NPositions}, {"VocabSize", c.VocabSize}} {
		if f.v == v {
			return "model.Config." + f.name
		}
	}
	return ""
}

// NEmbStep is the step of n_emb and n_layers.
type NEmbStep struct{ Step }

// NEmb checks n_emb and n_layers against the model's config.
var NEmb = NEmbStep{Step{"NEmb"}}

// Check checks that nEmb and nLayers are the model's.
func (NEmbStep) Check(model *chapter.Model, nEmb, nLayers int) {
	report(checkNEmb(model, nEmb, nLayers))
}

func checkNEmb(model *chapter.Model, nEmb, nLayers int) verdict {
	if model == nil {
		return fail("model is nil: run the cell that loads it")
	}
	c := model.Config
	wrong := func(name string, v int, fix string) verdict {
		if f := configField(model, v); f != "" {
			return fail("%s is %d, %s: %s", name, v, f, fix)
		}
		return fail("%s is %d: %s", name, v, fix)
	}
	switch {
	case nEmb == 3*c.NEmb:
		return fail("n_emb is %d, 3·n_emb, the width of Q | K | V together: the embedding dimensions are model.Config.NEmb (n_embd in config.json)", nEmb)
	case nEmb != c.NEmb:
		return wrong("n_emb", nEmb, "the number of embedding dimensions is model.Config.NEmb (n_embd in config.json)")
	case nLayers == c.NLayers-1:
		return fail("n_layers is %d, one short: the model has %d layers, model.Config.NLayers", nLayers, c.NLayers)
	case nLayers != c.NLayers:
		return wrong("n_layers", nLayers, "the number of layers is model.Config.NLayers (n_layer in config.json)")
	}
	return pass("n_emb = %d (model.Config.NEmb) and n_layers = %d (model.Config.NLayers)", nEmb, nLayers)
}

// TargetIdxStep is the step of target_word and target_idx.
type TargetIdxStep struct{ Step }

// TargetIdx checks the target word and its positions in the text.
var TargetIdx = TargetIdxStep{Step{"TargetIdx"}}

// Check checks that targetWord is the book's, " like", and that targetIdx
// holds every position of its token in tokens.
func (TargetIdxStep) Check(tokenizer *bpe.Tokenizer, tokens []int, targetWord string, targetIdx []int) {
	report(checkTargetIdx(tokenizer, tokens, targetWord, targetIdx))
}

func checkTargetIdx(tok *bpe.Tokenizer, tokens []int, word string, idx []int) verdict {
	if word != BookWord {
		if strings.EqualFold(strings.TrimSpace(word), strings.TrimSpace(BookWord)) {
			ids := func(w string) string {
				id, err := chapter.TokenID(tok, w)
				if err != nil {
					return "more than one token"
				}
				return fmt.Sprint(id)
			}
			return fail("target_word is %q: %q and %q are different GPT-2 tokens (%s and %s); inside a sentence the word comes with its space: %q",
				word, BookWord, word, ids(BookWord), ids(word), BookWord)
		}
		return fail("target_word is %q; the book's is %q (a leading space: the word inside a sentence)", word, BookWord)
	}
	id, err := chapter.TokenID(tok, word)
	if err != nil {
		return fail("%v", err)
	}
	var want []int
	for i, t := range tokens {
		if t == id {
			want = append(want, i)
		}
	}
	if v, bad := positions("target_idx", tokens, id, idx, want); bad {
		return v
	}
	return pass("target_word %q is token %d; target_idx holds its %d positions in tokens, np.where(tokens==%d)[0]", word, id, len(want), id)
}

// positions compares got, positions of id in tokens, with want; it says
// what is wrong.
func positions(name string, tokens []int, id int, got, want []int) (verdict, bool) {
	if slices.Equal(got, want) {
		return verdict{}, false
	}
	if len(got) > 0 && !slices.ContainsFunc(got, func(v int) bool { return v != id }) {
		return fail("%s holds the token id %d %d times, not positions: the positions are the indices i where tokens[i] == target_id", name, id, len(got)), true
	}
	if len(got) == len(want) {
		d := got[0] - want[0]
		if d != 0 && !slices.ContainsFunc(got, func(v int) bool { return !slices.Contains(want, v-d) }) {
			return fail("%s is each position %+d: the positions are the indices i with tokens[i] == target_id, from 0", name, d), true
		}
	}
	for k, i := range got {
		if i < 0 || i >= len(tokens) {
			return fail("%s[%d] is %d, outside tokens (%d of them)", name, k, i, len(tokens)), true
		}
		if tokens[i] != id {
			return fail("%s[%d] is %d, where tokens holds %d, not target_id %d", name, k, i, tokens[i], id), true
		}
	}
	return fail("%s has %d positions; tokens holds target_id %d at %d: %s", name, len(got), id, len(want), ints(want)), true
}

// FilterStep is the step of contextwin and the filter of target_idx.
type FilterStep struct{ Step }

// Filter checks contextwin and the targets that keep a full window.
var Filter = FilterStep{Step{"Filter"}}

// Check checks that contextwin is the book's, that keepFrom keeps exactly
// the positions at least contextwin (tried on a few positions around it),
// and that targetIdx is the positions of targetID in tokens that it keeps.
func (FilterStep) Check(tokens []int, targetID, contextwin int, keepFrom func([]int, int) []int, targetIdx []int) {
	report(checkFilter(tokens, targetID, contextwin, keepFrom, targetIdx))
}

func checkFilter(tokens []int, id, contextwin int, keepFrom func([]int, int) []int, idx []int) verdict {
	if contextwin != BookContext {
		return fail("contextwin is %d; the book's context is %d tokens", contextwin, BookContext)
	}
	probe := []int{0, 3, contextwin - 1, contextwin, contextwin + 1, 3 * contextwin}
	kept := keepFrom(slices.Clone(probe), contextwin)
	if want := probe[3:]; !slices.Equal(kept, want) {
		switch {
		case slices.Contains(kept, contextwin-1) && slices.Contains(kept, contextwin):
			return fail("keepFrom(%v, %d) = %v keeps positions < contextwin: a target needs contextwin tokens before it, target_idx[target_idx>=contextwin]", probe, contextwin, kept)
		case slices.Contains(kept, contextwin-1):
			return fail("keepFrom(%v, %d) = %v keeps the positions < contextwin and drops the others: keep those >= contextwin", probe, contextwin, kept)
		case !slices.Contains(kept, contextwin) && slices.Contains(kept, contextwin+1):
			return fail("keepFrom(%v, %d) = %v drops position contextwin: a target at %d has tokens[0:%d] before it, enough; keep i >= contextwin", probe, contextwin, kept, contextwin, contextwin)
		}
		return fail("keepFrom(%v, %d) = %v; it should keep the positions >= contextwin, %v", probe, contextwin, kept, want)
	}
	var all, want []int
	for i, t := range tokens {
		if t == id {
			all = append(all, i)
			if i >= contextwin {
				want = append(want, i)
			}
		}
	}
	if v, bad := positions("target_idx", tokens, id, idx, want); bad {
		return v
	}
	return pass("contextwin = %d; keepFrom keeps the positions >= contextwin (tried on %v); target_idx keeps %d of the %d targets", contextwin, probe, len(want), len(all))
}

// BatchStep is the step of the batch.
type BatchStep struct{ Step }

// Batch checks the batch of windows.
var Batch = BatchStep{Step{"Batch"}}

// Check checks that batch has one row per target, row i being
// tokens[targetIdx[i]-contextwin : targetIdx[i]+1].
func (BatchStep) Check(tokens, targetIdx []int, contextwin int, batch [][]int) {
	report(checkBatch(tokens, targetIdx, contextwin, batch))
}

func checkBatch(tokens, idx []int, contextwin int, batch [][]int) verdict {
	if len(batch) != len(idx) {
		return fail("batch has %d rows and target_idx %d targets: one row per target", len(batch), len(idx))
	}
	if len(idx) == 0 {
		return fail("target_idx is empty: no window to make")
	}
	id := tokens[idx[0]]
	for i, row := range batch {
		t := idx[i]
		if len(row) == 0 {
			return fail("row %d of batch is empty: batch[i] = toks", i)
		}
		if row[len(row)-1] != id {
			return fail("every row of batch must end on target_id %d; row %d ends on %d: a window is tokens[i-contextwin : i+1]", id, i, row[len(row)-1])
		}
		if len(row) != contextwin+1 {
			return fail("row %d of batch has %d tokens, want contextwin+1 = %d: the contextwin tokens before the target, then the target", i, len(row), contextwin+1)
		}
		if want := tokens[t-contextwin : t+1]; !slices.Equal(row, want) {
			return fail("row %d of batch ends on a target but is not the window of target_idx[%d] = %d, tokens[%d:%d]", i, i, t, t-contextwin, t+1)
		}
	}
	return pass("batch has %d rows of contextwin+1 = %d tokens: row i is tokens[target_idx[i]-%d : target_idx[i]+1], ending on target_id %d", len(batch), contextwin+1, contextwin, id)
}

// ExamplesStep is the step of the decoded examples.
type ExamplesStep struct{ Step }

// Examples checks what the book decodes of each row.
var Examples = ExamplesStep{Step{"Examples"}}

// Check checks that example(i) is the last 10 tokens of row i of batch, for
// the rows the cell decodes (the first 5).
func (ExamplesStep) Check(tokenizer *bpe.Tokenizer, batch [][]int, example func(int) []int) {
	report(checkExamples(tokenizer, batch, example))
}

func checkExamples(tok *bpe.Tokenizer, batch [][]int, example func(int) []int) verdict {
	n := min(5, len(batch))
	if n == 0 {
		return fail("batch is empty")
	}
	for i := range n {
		row, got := batch[i], example(i)
		want := row[max(0, len(row)-10):]
		switch {
		case slices.Equal(got, want):
			continue
		case len(got) == len(row):
			return fail("example(%d) is all %d tokens of row %d; the book decodes the last 10: batch[i,-10:]", i, len(got), i)
		case len(got) == 10 && slices.Equal(got, row[:10]):
			return fail("example(%d) is the first 10 tokens of row %d; the book decodes the last 10, which end on the target: batch[i,-10:]", i, i)
		case len(got) > 0 && got[len(got)-1] != row[len(row)-1]:
			return fail("example(%d) does not end on the target, the last token of row %d: batch[i,-10:] counts from its end, len(batch[i])-10", i, i)
		}
		return fail("example(%d) is %d tokens; the book decodes the last 10 of row %d, batch[i,-10:]", i, len(got), i)
	}
	last, _ := tok.Decode(batch[0][len(batch[0])-1:])
	return pass("example(i) is the last 10 tokens of row i for the %d rows shown, each ending on %q", n, last)
}

// HooksStep is the step of the hooks and the activations.
type HooksStep struct{ Step }

// Hooks checks the hooked layers and the activations named on them.
var Hooks = HooksStep{Step{"Hooks"}}

// Check checks that hookLayers is every layer of the model and that
// activations are those layers' outputs for model and batch. It does not
// capture.
func (HooksStep) Check(model *chapter.Model, batch [][]int, hookLayers []int, activations *chapter.Activations) {
	report(checkHooks(model, batch, hookLayers, activations))
}

func checkHooks(model *chapter.Model, batch [][]int, layers []int, a *chapter.Activations) verdict {
	var all []int
	for i := range model.Config.NLayers {
		all = append(all, i)
	}
	if !slices.Equal(layers, all) {
		var missing []int
		for _, l := range all {
			if !slices.Contains(layers, l) {
				missing = append(missing, l)
			}
		}
		if len(missing) > 0 {
			return fail("hook_layers is %v, without layer %v: the book hooks every layer, for i in range(n_layers): 0 to %d", layers, missing, model.Config.NLayers-1)
		}
		return fail("hook_layers is %v: the book hooks every layer once, in order: 0 to %d", layers, model.Config.NLayers-1)
	}
	switch {
	case a == nil:
		return fail("activations is nil: chapter.NewActivations(model, batch, hook_layers, opt) names the hooked layers' outputs")
	case a.Model != model:
		return fail("activations are of another model than model")
	case !slices.EqualFunc(a.Batch, batch, slices.Equal):
		return fail("activations are named on another batch than batch (%d rows, not %d)", len(a.Batch), len(batch))
	case !slices.Equal(a.Layers, layers):
		return fail("activations hook layers %v, not hook_layers: pass hook_layers to chapter.NewActivations", a.Layers)
	}
	return pass("hook_layers is every layer, 0 to %d; activations are their attn.c_attn outputs on batch [%d, %d]", len(layers)-1, len(batch), len(batch[0]))
}

// CaptureStep is the step of the capture.
type CaptureStep struct{ Step }

// Capture checks the captured activations.
var Capture = CaptureStep{Step{"Capture"}}

// Check checks that the activations are in the store, each layer [N,
// contextwin+1, 3·n_emb]. It does not capture.
func (CaptureStep) Check(activations *chapter.Activations) { report(checkCapture(activations)) }

func checkCapture(a *chapter.Activations) verdict {
	if v, bad := captured(a); bad {
		return v
	}
	n, t, e := len(a.Batch), len(a.Batch[0]), a.Model.Config.NEmb
	names := a.Names()
	for _, name := range names {
		x, err := a.Get(name)
		if err != nil {
			return fail("%s: %v", name, err)
		}
		if s := x.Shape(); !slices.Equal(s, []int{n, t, 3 * e}) {
			return fail("%s is %v, want [%d %d %d]: [sequences, contextwin+1, 3·n_emb]", name, s, n, t, 3*e)
		}
	}
	return pass("%d layers captured, %s … %s, each [%d %d %d]: [sequences, contextwin+1 tokens, Q | K | V = 3·n_emb]", len(names), names[0], names[len(names)-1], n, t, 3*e)
}

// captured says what is wrong when a is not captured (the checks never
// capture: only the capture cell and the cells' own code run GPT-2).
func captured(a *chapter.Activations) (verdict, bool) {
	switch {
	case a == nil || a.Model == nil || len(a.Batch) == 0:
		return fail("activations name no batch of a model: fill the hooks cell"), true
	case !a.Stored():
		return fail("the activations are not captured: activations.Capture(ctx), in the capture cell, runs GPT-2"), true
	}
	return verdict{}, false
}

// Part1Step is the step of Part 1's figure.
type Part1Step struct{ Step }

// Part1 checks Part 1's heat map.
var Part1 = Part1Step{Step{"Part1"}}

// Check checks that fig shows layer layeri's target token, [N, 3·n_emb],
// with dashed lines at n_emb and 2·n_emb.
func (Part1Step) Check(activations *chapter.Activations, layeri, nEmb int, fig Figure) {
	report(checkPart1(activations, layeri, nEmb, fig))
}

func checkPart1(a *chapter.Activations, layeri, nEmb int, fig Figure) verdict {
	if v, bad := captured(a); bad {
		return v
	}
	axs := fig.Data().Axes
	if len(axs) != 1 || len(axs[0].Images) != 1 {
		return fail("the figure shows no image: ax.Imshow(wide_acts, ...)")
	}
	im := axs[0].Images[0]
	x, err := a.Layer(layeri)
	if err != nil {
		return fail("%v", err)
	}
	n, _, e := x.Dims()
	if im.Rows == e && im.Cols == n {
		return fail("the image is [%d, %d], transposed: wide_acts is [sequences, 3·n_emb], as activations[...][:,-1,:]", im.Rows, im.Cols)
	}
	if im.Rows != n || im.Cols != e {
		return fail("the image is [%d, %d]; layer %d at one token is [%d, %d]: sequences × Q | K | V", im.Rows, im.Cols, layeri, n, e)
	}
	if !sameMatrix(im.Data, x.Token(-1)) {
		for _, t := range []int{-2, 0} {
			if sameMatrix(im.Data, x.Token(t)) {
				return fail("the image is %s of layer %d; Part 1 shows the target, [:,-1,:]: .Token(-1)", tokenName(t), layeri)
			}
		}
		for l := range a.Model.Config.NLayers {
			if y, err := a.Layer(l); err == nil && sameMatrix(im.Data, y.Token(-1)) {
				return fail("the image is layer %d's target token; Part 1 shows layer layeri = %d", l, layeri)
			}
		}
		return fail("the image is not layer %d's target token, activations.Layer(layeri).Token(-1)", layeri)
	}
	v := slices.Sorted(slices.Values(axs[0].VLines))
	if len(v) != 2 || v[0] != float64(nEmb) || v[1] != float64(2*nEmb) {
		return fail("the dashed lines are at %v; they divide Q | K | V: at n_emb = %d and 2·n_emb = %d", axs[0].VLines, nEmb, 2*nEmb)
	}
	return pass("the image is layer %d's target token, [%d, %d] (Q | K | V), with dashed lines at n_emb = %d and 2·n_emb = %d", layeri, n, e, nEmb, 2*nEmb)
}

// sameMatrix reports whether data (row-major) holds m's values.
func sameMatrix(data []float64, m tensor.Matrix) bool {
	r, c := m.Dims()
	if len(data) != r*c {
		return false
	}
	for i := range r {
		for j, v := range m.Row(i) {
			if !near(data[i*c+j], float64(v)) {
				return false
			}
		}
	}
	return true
}
