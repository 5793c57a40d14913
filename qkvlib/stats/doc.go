// Package stats computes the chapter's statistics on captured Q|K|V
// activations (docs/chapter.md, Parts 2–6), both as functions of whole arrays and as a
// streaming accumulator that sees the sequences a chunk at a time.
//
// # Data
//
// One layer's capture attn_{i}_qkv is a float32 row-major array
// [N, T, 3·E]: N sequences, T tokens (context + 1, the target last), E = n_embd.
// [QKV] holds it; [QKV.Split] returns zero-copy [Matrix] views [N, T, E] of the
// Q, K and V column blocks [0:E], [E:2E], [2E:3E]. "Target" is token position
// T-1 and "non-target" position T-2.
//
// # Statistics
//
//   - [MeansAndVar]: arithmetic mean, L1 mean (mean |x|) and unbiased
//     variance (÷ E-1), each per sequence over the E dimensions and then
//     averaged over the N sequences (parts 2a and 3).
//   - [Histograms] and [Density]: torch.histogram(density=True) on the values
//     at one position, flattened over sequences and dimensions (parts 2b, 4).
//   - [HeadStdev]: the unbiased standard deviation across tokens of the
//     [N, T, nHeads, E/nHeads] view, averaged over everything else (part 5b).
//   - [LayerAccumulator]: all of the above for Q, K and V of one layer,
//     accumulated over chunks of sequences, keeping the per-sequence
//     descriptives ([SequenceDescriptives]) for part 6.
//
// # Part 6: is the difference real?
//
// Each sequence gives a paired difference, its non-target value minus its
// target value, for every layer, matrix and descriptive ([PositionDiffs]:
// [Diffs] of N sequences by C cells). [PositionTests] (or [PairedTest] on any
// Diffs) reports for every cell the mean difference, Cohen's d_z
// ([CohensDz]), the two-sided sign-flip permutation p-value ([SignFlipTest],
// exact over all 2^N flips for small N, else seeded random flips), the
// p-values adjusted over all cells by Benjamini–Hochberg ([BHAdjust]) and a
// bootstrap percentile interval of the mean difference ([BootstrapMeanCI]).
// The p-values and intervals follow scipy.stats.permutation_test,
// false_discovery_control and bootstrap(method='percentile'); the random
// draws come from math/rand/v2's PCG with a fixed seed ([PairedOptions]), the
// same on every machine and for any number of goroutines.
//
// # The notebook's vocabulary
//
// What numpy and torch give the book's cells, at the size the chapter needs:
// [Split] (torch.split(x, n_emb, dim=-1)); [Matrix.Token] and [QKV.Token]
// (X[:, -1, :], a [Plane] that implements gonum's mat.Matrix, for plotting);
// [Mean], [Var] and [Abs] along a dimension of a mat.Matrix (gonum's
// stat.Mean then averages the result); [Histogram] (torch.histogram with
// density); [Matrix.View] into [Heads] (Q.view(N, T, H, D)) with
// [Heads.Head] (Qh[n, :, h, :]) and [Heads.Std] (Qh.std(dim=1)); and [Array],
// a small n-d float64 array with numpy-like slicing ([All] is ":") for the
// result tables. They agree with the whole-array functions above.
//
// Inputs are float32; every sum is accumulated in float64 and results are
// float64. Results therefore agree with the book's float32 torch code to
// float32 rounding (relative ~1e-6), not bit for bit; histogram bin
// assignment, which is a comparison and not a sum, agrees exactly when the
// edges come from [Linspace].
//
// # Undefined values
//
// As in torch, a variance or standard deviation over one value (E = 1, or
// T = 1 for the heads) is NaN, and a density histogram with no value inside
// the edges is NaN in every bin (0/0). Non-finite inputs propagate into means
// and variances; NaN values are never counted by a histogram.
//
// # Errors and panics
//
// Following gonum, functions on views panic on programmer errors (bad
// edges, indices out of range, E not divisible by nHeads); constructors and
// [LayerAccumulator.Add], which see data read from disk, return errors.
//
// Result layouts follow the notebook: descriptives [matrix][descriptive]
// [position] = [3][3][2] indexed with [Query]/[Key]/[Value],
// [ArithmeticMean]/[L1Mean]/[Variance] and [Target]/[NonTarget].
package stats
