package ex

import (
	"fmt"
	"slices"

	"github.com/qkvport/qkv/qkvlib/tensor"
)

// checkSlots compares a [layers, 3, F, 2] table (Part 3's descriptives, Part
// 4's histograms) with ref, slot by slot: matrix m (Q, K, V) and category c
// (target, non-target) of every layer. It recognises a slot never set,
// another slot's values and one layer's values in every layer.
func checkSlots(name string, arr *tensor.Array, nl, f int, ref func(l, m, c int) []float64, what string) (verdict, bool) {
	if s := arr.Shape(); !slices.Equal(s, []int{nl, 3, f, 2}) {
		return fail("%s is %v, want [%d 3 %d 2]: layers × matrix × %s × category", name, s, nl, f, what), true
	}
	slot := func(m, c int) []float64 {
		var out []float64
		for l := range nl {
			out = append(out, ref(l, m, c)...)
		}
		return out
	}
	for m := range 3 {
		for c := range 2 {
			got := arr.Slice(tensor.All, m, tensor.All, c).Data() // [layer, f]
			if nearAll(got, slot(m, c)) {
				continue
			}
			where := fmt.Sprintf("%s[:,%d,:,%d] (%s, %s)", name, m, c, matrixNames[m], categoryNames[c])
			if !slices.ContainsFunc(got, func(v float64) bool { return v != 0 }) {
				return fail("%s is all zeros: it is never set (%s.SetSlice(values, layeri, %d, tensor.All, %d))", where, name, m, c), true
			}
			for m2 := range 3 {
				for c2 := range 2 {
					if nearAll(got, slot(m2, c2)) {
						return fail("%s holds %s's %s values: matrix %d is %s and category %d is %s", where, matrixNames[m2], categoryNames[c2], m, matrixNames[m], c, categoryNames[c]), true
					}
				}
			}
			for l0 := range nl {
				same := true
				for l := range nl {
					same = same && nearAll(got[f*l:f*(l+1)], ref(l0, m, c))
				}
				if same && nl > 1 {
					return fail("%s holds layer %d's values in every layer: split activations.Layer(layeri) inside the loop", where, l0), true
				}
			}
			for l := range nl {
				if !nearAll(got[f*l:f*(l+1)], ref(l, m, c)) {
					return fail("%s is wrong at layer %d: it is not that layer's %s %s values (within "+within+")", where, l, matrixNames[m], categoryNames[c]), true
				}
			}
		}
	}
	return verdict{}, false
}
