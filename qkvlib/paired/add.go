package paired

// addTo adds src to dst, element by element: dst[c] += src[c] (len(src) ≥
// len(dst)). The resampling tests spend their time here; add_simd.go
// replaces it with a vector version where the build and the CPU have one.
// Each element is one addition either way, so the results are the same
// bits.
var addTo = addToScalar

func addToScalar(dst, src []float64) {
	src = src[:len(dst)]
	for c, v := range src {
		dst[c] += v
	}
}
