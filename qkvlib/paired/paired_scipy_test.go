package paired

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/qkvport/qkv/internal/testenv"
	"github.com/qkvport/qkv/qkvlib/describe"
	"github.com/qkvport/qkv/qkvlib/tensor"
)

// scipyReference is what testdata/paired_reference.py prints: each field [C]
// (seq: [L][N][3][3][2]).
type scipyReference struct {
	Seq    [][][3][3][2]float64 `json:"seq"`
	Diff   []jsonFloat          `json:"diff"`
	Dz     []jsonFloat          `json:"dz"`
	PExact []jsonFloat          `json:"p_exact"`
	PSigns []jsonFloat          `json:"p_signs"`
	PBH    []jsonFloat          `json:"p_bh"`
	BH     string               `json:"bh"`
	CILo   []jsonFloat          `json:"ci_lo"`
	CIHi   []jsonFloat          `json:"ci_hi"`
}

// jsonFloat reads a JSON number, or null as NaN.
type jsonFloat float64

func (f *jsonFloat) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = jsonFloat(math.NaN())
		return nil
	}
	return json.Unmarshal(b, (*float64)(f))
}

// scipyPython returns a Python with numpy and scipy's permutation_test
// (scipy ≥ 1.8), skipping t (failing it when references are required) when
// there is none.
func scipyPython(t *testing.T) string {
	t.Helper()
	py := testenv.Python(t, "scipy")
	if exec.Command(py, "-c", "from scipy.stats import permutation_test").Run() != nil {
		testenv.Missing(t, "%s has no scipy.stats.permutation_test (install Debian's python3-scipy, or set QKV_PYTHON to a Python with scipy ≥ 1.8)", py)
	}
	return py
}

// goDraws writes the sign flips (int8 ±1, [B, N]) and bootstrap indices
// (int32 [B, N]) that opt makes Go draw for n sequences, and adds their paths
// to in.
func goDraws(t *testing.T, dir string, n int, opt Options, in map[string]any) {
	t.Helper()
	opt = opt.mustDefaults()
	signs := make([]int8, 0, opt.Resamples*n)
	flips := newSignFlips(n, opt.Seed)
	idx := make([]int32, 0, opt.Resamples*n)
	rs := newResampler(n, opt.Seed)
	for range opt.Resamples {
		w := flips.next()
		for i := range n {
			signs = append(signs, int8(1-2*int(w[i/64]>>(i%64)&1)))
		}
		for _, j := range rs.next() {
			idx = append(idx, int32(j))
		}
	}
	if !opt.Exact(n) {
		in["signs"] = testenv.WriteLE(t, dir, "signs.i8", signs)
	}
	in["boot"] = testenv.WriteLE(t, dir, "boot.i32", idx)
	in["level"] = opt.Level
	in["exact"] = n <= 18 // scipy enumerates 2^N flips: keep it small
}

func runPairedReference(t *testing.T, py, dir string, in map[string]any) scipyReference {
	t.Helper()
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	inPath := filepath.Join(dir, "input.json")
	if err := os.WriteFile(inPath, b, 0o644); err != nil {
		t.Fatal(err)
	}
	var ref scipyReference
	testenv.RunReference(t, py, &ref, "paired_reference.py", inPath)
	t.Logf("Benjamini–Hochberg reference: %s", ref.BH)
	return ref
}

// TestPairedAgainstScipy compares part 6's numbers with scipy and numpy:
// d_z, p-values, Benjamini–Hochberg and bootstrap intervals to 1e-12; the
// exact sign-flip p-values with scipy.stats.permutation_test over every flip,
// including integer differences full of ties and zeros; the random ones with
// the same p-value formula on Go's own flips, and with scipy's exact p within
// the Monte-Carlo error; the intervals with numpy's percentiles of Go's own
// resamples. The layered cases start from activations, so the per-sequence
// descriptives (through a chunked LayerAccumulator) are checked too.
func TestPairedAgainstScipy(t *testing.T) {
	py := scipyPython(t)
	tests := []struct {
		name       string
		layers     int // 0: integer differences given directly
		n, tt, e   int
		resamples  int
		wantExact  bool
		wantRandom bool
	}{
		{name: "integer ties exact", n: 11, resamples: 3000, wantExact: true},
		{name: "layers exact", layers: 3, n: 12, tt: 3, e: 8, resamples: 4000, wantExact: true},
		{name: "layers random", layers: 2, n: 18, tt: 2, e: 6, resamples: DefaultResamples, wantRandom: true},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			opt := Options{Resamples: tc.resamples, Seed: uint64(40 + i)}
			in := map[string]any{}
			var d Diffs
			var got []Result
			var seqs [][][3][3][2]float64
			if tc.layers == 0 {
				d = integerDiffs(uint64(i), tc.n, 6)
				in["diffs"], in["n"], in["c"] = testenv.WriteLE(t, dir, "diffs.f64", d.D), d.N, d.C
				got = Test(d, opt)
			} else {
				var raw []float32
				raw, seqs = layeredSequences(t, uint64(i), tc.layers, tc.n, tc.tt, tc.e)
				in["qkv"], in["shape"] = testenv.WriteLE(t, dir, "qkv.f32", raw), []int{tc.layers, tc.n, tc.tt, tc.e}
				table, err := Positions(seqs, opt)
				if err != nil {
					t.Fatal(err)
				}
				for _, l := range table {
					for _, m := range l {
						got = append(got, m[:]...)
					}
				}
			}
			goDraws(t, dir, tc.n, opt, in)
			ref := runPairedReference(t, py, dir, in)
			if seqs != nil {
				checkSequences(t, seqs, ref.Seq)
			}
			checkPaired(t, got, ref, tc.wantExact, tc.wantRandom, opt.mustDefaults().Resamples)
		})
	}
}

// integerDiffs returns integer differences in [-k, k] (zeros, ties and equal
// magnitudes everywhere), the first cell all zero: [n, 5].
func integerDiffs(seed uint64, n, k int) Diffs {
	r := rand.New(rand.NewPCG(seed, 3))
	d := Diffs{N: n, C: 5, D: make([]float64, n*5)}
	for i := range d.N {
		for c := 1; c < d.C; c++ {
			d.D[i*d.C+c] = float64(r.IntN(2*k+1)-k) + float64(c-1)*1.5 // shift: stronger effects in later cells
		}
	}
	return d
}

// layeredSequences returns random activations [L, N, T, 3E] and their
// per-sequence descriptives [L][N][3][3][2] from accumulators fed in chunks of 5.
func layeredSequences(t *testing.T, seed uint64, layers, n, tt, e int) ([]float32, [][][3][3][2]float64) {
	var raw []float32
	var seqs [][][3][3][2]float64
	for l := range layers {
		r := rand.New(rand.NewPCG(seed*10+uint64(l), 0x5eed))
		data := make([]float32, n*tt*3*e)
		for i := range data {
			data[i] = float32(r.NormFloat64()*(1+0.3*float64(l)) + 0.1)
		}
		q, err := tensor.New(data, n, tt, 3*e)
		if err != nil {
			t.Fatal(err)
		}
		// Shift a few non-target values so some cells differ for real.
		for s := range n {
			row := q.Row(s, tt-2)
			for j := 0; j < len(row); j += 3 {
				row[j] += 1.5 * float32(l)
			}
		}
		acc, err := describe.NewLayer([]float64{-1, 1}, 2)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < n; i += 5 {
			if err := acc.Add(q.Sequences(i, min(i+5, n))); err != nil {
				t.Fatal(err)
			}
		}
		raw = append(raw, data...)
		seqs = append(seqs, acc.Result().Sequences)
	}
	return raw, seqs
}

func checkSequences(t *testing.T, got, want [][][3][3][2]float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d layers of sequences, numpy %d", len(got), len(want))
	}
	for l := range got {
		if len(got[l]) != len(want[l]) {
			t.Fatalf("layer %d: %d sequences, numpy %d", l, len(got[l]), len(want[l]))
		}
		for n := range got[l] {
			for m := range 3 {
				for d := range 3 {
					for p := range 2 {
						if g, w := got[l][n][m][d][p], want[l][n][m][d][p]; !near(g, w, 1e-12) {
							t.Errorf("layer %d sequence %d descriptives[%d][%d][%d] = %.17g, numpy %.17g", l, n, m, d, p, g, w)
						}
					}
				}
			}
		}
	}
}

// checkPaired compares Go's cells with the reference.
func checkPaired(t *testing.T, got []Result, ref scipyReference, exact, random bool, resamples int) {
	t.Helper()
	if len(got) != len(ref.Diff) {
		t.Fatalf("%d cells, reference %d", len(got), len(ref.Diff))
	}
	field := func(name string, get func(Result) float64, want []jsonFloat) []float64 {
		g := make([]float64, len(got))
		for c := range got {
			g[c] = get(got[c])
		}
		if want != nil {
			closeAll(t, name, g, want, 1e-12)
		}
		return g
	}
	field("diff", func(p Result) float64 { return p.Diff }, ref.Diff)
	field("d_z", func(p Result) float64 { return p.Dz }, ref.Dz)
	field("ci_lo", func(p Result) float64 { return p.CILo }, ref.CILo)
	field("ci_hi", func(p Result) float64 { return p.CIHi }, ref.CIHi)
	field("p_bh", func(p Result) float64 { return p.PBH }, ref.PBH)
	p := field("p", func(p Result) float64 { return p.P }, nil)
	switch {
	case exact:
		closeAll(t, "exact p vs scipy.stats.permutation_test", p, ref.PExact, 1e-12)
	case random:
		closeAll(t, "random p vs the p-value of Go's flips in numpy", p, ref.PSigns, 1e-12)
		for c := range p {
			q := float64(ref.PExact[c]) / 2
			tol := 4.5*2*math.Sqrt(q*(1-q)/float64(resamples)) + 2/float64(resamples+1)
			if !(math.Abs(p[c]-2*q) <= tol) {
				t.Errorf("cell %d: Monte-Carlo p %v, scipy's exact p %v: farther apart than 4.5 binomial sd (%v)", c, p[c], ref.PExact[c], tol)
			}
		}
	}
	var small int
	for c := range p {
		if p[c] < 0.05 {
			small++
		}
	}
	t.Logf("%d cells, %d with p < 0.05", len(p), small)
}

// closeAll fails t unless got and want agree to tol, relative to the largest
// magnitude in want (at least 1).
func closeAll(t *testing.T, name string, got []float64, want []jsonFloat, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, reference %d", name, len(got), len(want))
	}
	scale := 1.0
	for _, w := range want {
		if !math.IsNaN(float64(w)) {
			scale = max(scale, math.Abs(float64(w)))
		}
	}
	for i := range got {
		w := float64(want[i])
		if !(math.Abs(got[i]-w) <= tol*scale || math.IsNaN(got[i]) && math.IsNaN(w)) {
			t.Errorf("%s[%d] = %.17g, reference %.17g", name, i, got[i], want[i])
		}
	}
}

// near reports whether a and b agree within relative tol (with an absolute
// floor of tol·1e-3 for values near zero); NaNs agree with NaNs.
func near(a, b, tol float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= tol*math.Max(math.Abs(a), math.Abs(b))+tol*1e-3
}
