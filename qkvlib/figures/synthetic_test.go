package figures

import (
	"math"
	"math/rand/v2"

	"github.com/qkvport/qkv/qkvlib/pyplot"
	"github.com/qkvport/qkv/qkvlib/tensor"
)

// synthetic holds chapter-shaped made-up inputs for every figure.
type synthetic struct {
	N, E, Layers, Tokens, Heads, HeadDim int

	Wide              []float32 // [N, 3E]
	Target, Nontarget [3]float64
	Edges2            []float64    // [234]
	Dens2             [6][]float64 // ytQ, ynQ, ytK, ynK, ytV, ynV: [233]
	Desc              [][3][3][2]float64
	Edges4            []float64 // [101]
	Hist              [][3][][2]float64
	Q5                []float32 // [Tokens, Heads·HeadDim]
	Stdevs            [][3]float64
}

// gaussDensity returns the normal density of (mu, sigma) at the left edges, with
// a little noise, like a histogram of many samples.
func gaussDensity(r *rand.Rand, edges []float64, mu, sigma, noise float64) []float64 {
	ys := make([]float64, len(edges)-1)
	for i := range ys {
		x := (edges[i] + edges[i+1]) / 2
		d := math.Exp(-0.5*math.Pow((x-mu)/sigma, 2)) / (sigma * math.Sqrt(2*math.Pi))
		ys[i] = math.Max(0, d*(1+noise*r.NormFloat64()))
	}
	return ys
}

// newSynthetic makes inputs of the given sizes, deterministically.
func newSynthetic(n, e, layers, tokens, heads, headDim int) *synthetic {
	r := rand.New(rand.NewPCG(34, 588))
	s := &synthetic{N: n, E: e, Layers: layers, Tokens: tokens, Heads: heads, HeadDim: headDim}

	colScale := make([]float64, 3*e)
	for c := range colScale {
		colScale[c] = 0.15 + 0.5*r.Float64()*float64(1+c/e)/2
		if r.IntN(60) == 0 {
			colScale[c] = 2.5
		}
	}
	s.Wide = make([]float32, n*3*e)
	for i := range n {
		for c := range 3 * e {
			s.Wide[i*3*e+c] = float32(colScale[c]*r.NormFloat64() + 0.1*math.Sin(float64(c)))
		}
	}

	s.Target = [3]float64{0.021, 0.74, 1.12}
	s.Nontarget = [3]float64{-0.013, 0.66, 0.87}

	s.Edges2 = tensor.Linspace(-7, 7, 234)
	sig := [6]float64{1.0, 0.8, 1.6, 1.3, 0.55, 0.45}
	for i := range s.Dens2 {
		s.Dens2[i] = gaussDensity(r, s.Edges2, 0.05*float64(i-3), sig[i], 0.05)
	}

	s.Desc = make([][3][3][2]float64, layers)
	for l := range layers {
		f := float64(l) / float64(max(layers-1, 1))
		for m := range 3 {
			g := float64(m + 1)
			for c := range 2 {
				h := 1 + 0.15*float64(c)
				s.Desc[l][m][0][c] = 0.02*g*math.Sin(6*f+g) + 0.01*float64(c) + 0.004*r.NormFloat64()
				s.Desc[l][m][1][c] = h * (0.4 + g*0.3*f + 0.2*math.Sin(3*f*g)) * (1 + 0.02*r.NormFloat64())
				s.Desc[l][m][2][c] = h * (0.3 + g*g*0.4*f*f + 0.1*math.Cos(5*f)) * (1 + 0.03*r.NormFloat64())
			}
		}
	}

	s.Edges4 = tensor.Linspace(-4, 4, 101)
	s.Hist = make([][3][][2]float64, layers)
	for l := range layers {
		f := float64(l) / float64(max(layers-1, 1))
		for m := range 3 {
			t := gaussDensity(r, s.Edges4, 0, 0.6+float64(m)*0.4*f+0.3*f, 0.08)
			nt := gaussDensity(r, s.Edges4, 0.1, 0.5+float64(m)*0.5*f+0.2*f, 0.08)
			s.Hist[l][m] = make([][2]float64, len(t))
			for b := range t {
				s.Hist[l][m][b] = [2]float64{t[b], nt[b]}
			}
		}
	}

	hd := heads * headDim
	dimScale := make([]float64, hd)
	for d := range dimScale {
		dimScale[d] = 0.3 + 0.4*r.Float64()
		if r.IntN(25) == 0 {
			dimScale[d] = 2.5
		}
	}
	s.Q5 = make([]float32, tokens*hd)
	for t := range tokens {
		for d := range hd {
			s.Q5[t*hd+d] = float32(dimScale[d] * (r.NormFloat64() + 0.5*math.Sin(float64(t+d)/7)))
		}
	}

	s.Stdevs = make([][3]float64, layers)
	for l := range layers {
		f := float64(l) / float64(max(layers-1, 1))
		s.Stdevs[l] = [3]float64{0.5 + 0.6*f + 0.05*r.NormFloat64(), 0.6 + 0.9*f*f + 0.05*r.NormFloat64(), 0.2 + 0.3*f + 0.03*r.NormFloat64()}
	}
	return s
}

// chapterSynthetic has the chapter's sizes: GPT-2 large, 114 targets, 51 tokens.
func chapterSynthetic() *synthetic { return newSynthetic(114, 1280, 36, 51, 20, 64) }

// figures renders all eight figures, named as the book saves them.
func (s *synthetic) figures() (map[string]*pyplot.Figure, error) {
	out := map[string]*pyplot.Figure{}
	add := func(name string, f *pyplot.Figure, err error) error {
		if err != nil {
			return err
		}
		out[name] = f
		return nil
	}
	d := s.Dens2
	for _, step := range []func() error{
		func() error { f, err := Part1(s.Wide, s.N, s.E); return add("ch6_proj34_part1", f, err) },
		func() error { f, err := Part2a(s.Target, s.Nontarget); return add("ch6_proj34_part2a", f, err) },
		func() error {
			f, err := Part2b(s.Edges2, d[0], d[1], d[2], d[3], d[4], d[5], 6)
			return add("ch6_proj34_part2b", f, err)
		},
		func() error { f, err := Part3a(s.Desc); return add("ch6_proj34_part3a", f, err) },
		func() error { f, err := Part3b(s.Desc); return add("ch6_proj34_part3b", f, err) },
		func() error { f, err := Part4(s.Hist, s.Edges4); return add("ch6_proj34_part4", f, err) },
		func() error {
			f, err := Part5a(s.Q5, s.Tokens, s.Heads, s.HeadDim)
			return add("ch6_proj34_part5a", f, err)
		},
		func() error { f, err := Part5b(s.Stdevs); return add("ch6_proj34_part5b", f, err) },
		func() error {
			f, err := Part6(part6Cells(s.Layers, true), 0.05)
			return add("ch6_proj34_part6", f, err)
		},
	} {
		if err := step(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
