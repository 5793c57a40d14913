package ex

import (
	"github.com/qkvport/qkv/qkvlib/chapter"
	"github.com/qkvport/qkv/qkvlib/tensor"
)

// checkHist compares got, the histogram of token t of x that a cell
// computed (named name), with the book's density histogram over edges: it
// recognises counts, another token and other edges.
func checkHist(name string, got []float64, x tensor.Tensor3, t int, edges []float64) (verdict, bool) {
	if len(got) != len(edges)-1 {
		return fail("%s has %d bins; over the %d edges of this cell a histogram has %d", name, len(got), len(edges), len(edges)-1), true
	}
	if nearAll(got, tensor.Histogram(x.Token(t).Flatten(), edges, true)) {
		return verdict{}, false
	}
	for _, u := range []int{-1, -2, 0} {
		vals := x.Token(u).Flatten()
		if nearAll(got, tensor.Histogram(vals, edges, false)) {
			return fail("%s is counts, not a density: density=true (tensor.Histogram's last argument) divides each count by all the counts × the bin's width", name), true
		}
		if nearAll(got, tensor.Histogram(vals, edges, true)) {
			return fail("%s is the histogram of %s; it should be of %s, X.Token(%d)", name, tokenName(u), tokenName(t), t), true
		}
	}
	return fail("%s is not the density histogram of X.Token(%d).Flatten() over edges", name, t), true
}

// CalculateHistsStep is the step of Part 4's helper calculateHists.
type CalculateHistsStep struct{ Step }

// CalculateHists checks the helper calculateHists.
var CalculateHists = CalculateHistsStep{Step{"CalculateHists"}}

// Check calls calculateHists on Q and on K and checks the histograms it
// returns against the book's over edges.
func (CalculateHistsStep) Check(Q, K tensor.Tensor3, edges []float64, calculateHists func(tensor.Tensor3) ([]float64, []float64)) {
	report(checkCalculateHists(Q, K, edges, calculateHists))
}

func checkCalculateHists(q, k tensor.Tensor3, edges []float64, f func(tensor.Tensor3) ([]float64, []float64)) verdict {
	qt, qn := f(q)
	kt, kn := f(k)
	if nearAll(kt, qt) && nearAll(kn, qn) && !nearAll(tensor.Histogram(q.Token(-1).Flatten(), edges, true), tensor.Histogram(k.Token(-1).Flatten(), edges, true)) {
		return fail("calculateHists(K) returns what calculateHists(Q) does: compute the histograms of its argument X, not of Q")
	}
	for _, c := range []struct {
		name   string
		x      tensor.Tensor3
		yt, yn []float64
	}{{"Q", q, qt, qn}, {"K", k, kt, kn}} {
		if v, bad := checkHist("calculateHists("+c.name+")'s yt", c.yt, c.x, -1, edges); bad {
			return v
		}
		if v, bad := checkHist("calculateHists("+c.name+")'s yn", c.yn, c.x, -2, edges); bad {
			return v
		}
	}
	return pass("calculateHists(X) returns the density histograms of X's target (-1) and non-target (-2) values over the %d bins from %g to %g, tried on Q and K (within "+within+")", len(edges)-1, edges[0], edges[len(edges)-1])
}

// HistogramsStep is the step of Part 4's table of histograms.
type HistogramsStep struct{ Step }

// Histograms checks Part 4's table of histograms.
var Histograms = HistogramsStep{Step{"Histograms"}}

// Check checks that histograms [n_layers, 3, bins, 2] holds every layer's
// density histograms of Q, K and V at the target and the non-target token
// over edges.
func (HistogramsStep) Check(activations *chapter.Activations, edges []float64, histograms *tensor.Array) {
	report(checkHistograms(activations, edges, histograms))
}

func checkHistograms(a *chapter.Activations, edges []float64, h *tensor.Array) verdict {
	if v, bad := captured(a); bad {
		return v
	}
	nl := a.Model.Config.NLayers
	ref := make([][3][2][]float64, nl)
	if err := eachMatrix(a, func(l, m int, y tensor.Tensor3) {
		for c, t := range []int{-1, -2} {
			ref[l][m][c] = tensor.Histogram(y.Token(t).Flatten(), edges, true)
		}
	}); err != nil {
		return fail("%v", err)
	}
	if v, bad := checkSlots("histograms", h, nl, len(edges)-1, func(l, m, c int) []float64 { return ref[l][m][c] }, "bin"); bad {
		return v
	}
	return pass("histograms %v holds every layer's density histograms of Q, K and V at the target and the non-target token (within "+within+")", h.Shape())
}

// Part4Step is the step of Part 4's figure.
type Part4Step struct{ Step }

// Part4 checks Part 4's figure.
var Part4 = Part4Step{Step{"Part4"}}

// Check checks that the top row of fig shows histograms[:,i,:,0] and the
// bottom row histograms[:,i,:,1], for Q, K and V.
func (Part4Step) Check(histograms *tensor.Array, fig Figure) { report(checkPart4(histograms, fig)) }

func checkPart4(h *tensor.Array, fig Figure) verdict {
	axs := fig.Data().Axes
	if len(axs) != 6 {
		return fail("the figure has %d panels, want 2 × 3", len(axs))
	}
	s := h.Shape()
	if len(s) != 4 || s[1] != 3 || s[3] != 2 {
		return fail("histograms is %v, want [n_layers 3 bins 2]", s)
	}
	nl, nb := s[0], s[2]
	slot := func(m, c int) []float64 { return h.Slice(tensor.All, m, tensor.All, c).Data() }
	for c := range 2 {
		for m := range 3 {
			ax := axs[3*c+m]
			if len(ax.Images) != 1 {
				return fail("panel %q shows %d images, want 1", ax.Title, len(ax.Images))
			}
			im := ax.Images[0]
			if im.Rows == nb && im.Cols == nl && nb != nl {
				return fail("panel %q's image is [%d, %d], bins × layers: histograms[:,%d,:,%d] is [layers, bins], a row per layer", ax.Title, im.Rows, im.Cols, m, c)
			}
			if im.Rows != nl || im.Cols != nb {
				return fail("panel %q's image is [%d, %d]; histograms[:,%d,:,%d] is [%d, %d]", ax.Title, im.Rows, im.Cols, m, c, nl, nb)
			}
			if nearAll(im.Data, slot(m, c)) {
				continue
			}
			for c2 := range 2 {
				for m2 := range 3 {
					if nearAll(im.Data, slot(m2, c2)) {
						return fail("panel %q shows histograms[:,%d,:,%d] (%s, %s); it should show histograms[:,%d,:,%d]: matrix i = %d, category %d for the %s row", ax.Title, m2, c2, matrixNames[m2], categoryNames[c2], m, c, m, c, []string{"top", "bottom"}[c])
					}
				}
			}
			return fail("panel %q does not show histograms[:,%d,:,%d]", ax.Title, m, c)
		}
	}
	return pass("the top row shows histograms[:,i,:,0], the target's, and the bottom row histograms[:,i,:,1], the non-target's, of Q, K and V: [layers × bins] each")
}
