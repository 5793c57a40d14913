// Package describe computes the chapter's statistics of one layer's Q, K and
// V at the target and the token before it (docs/chapter.md, Parts 2 to 5):
// the three descriptives, the density histograms and the heads' standard
// deviation, for whole arrays and chunk by chunk.
//
// One layer's capture attn_{i}_qkv is a tensor.Tensor3 [N, T, 3·E]; its
// Split gives Q, K and V [N, T, E]. "Target" is token T-1, "non-target"
// token T-2.
//
//   - [MeansAndVar]: arithmetic mean, L1 mean (mean |x|) and unbiased
//     variance (÷ E-1), each per sequence over the E dimensions and then
//     averaged over the sequences (parts 2a and 3); [Sequences] keeps the
//     per-sequence values (part 6's paired tests).
//   - [HeadStdev]: the unbiased standard deviation across tokens of the
//     [N, T, nHeads, E/nHeads] view, averaged over everything else (part 5b).
//   - [Layer]: all of them and the density histograms (parts 2b and 4) for
//     Q, K and V, accumulated over chunks of sequences; chunking does not
//     change the numbers.
//
// Results are indexed [matrix][descriptive][position], [3][3][2], with
// [Query], [Key], [Value]; [ArithmeticMean], [L1Mean], [Variance]; and
// [Target], [NonTarget]. Sums are accumulated in float64, so they agree with
// the book's float32 torch code to float32 rounding.
package describe

// Indices of the three matrices in results shaped [3]…
const (
	Query = iota // Q, columns [0, E)
	Key          // K, columns [E, 2E)
	Value        // V, columns [2E, 3E)
)

// Indices of the three descriptives in results shaped […][3]…
const (
	ArithmeticMean = iota // mean of x
	L1Mean                // mean of |x|
	Variance              // unbiased variance, ÷ (E-1)
)

// Indices of the two token positions in results shaped […][2].
const (
	Target    = iota // token T-1
	NonTarget        // token T-2
)

// Matrices are the names of the three matrices, by index.
var Matrices = [3]string{"Q", "K", "V"}

// Descriptives are the names of the three descriptives, by index.
var Descriptives = [3]string{"mean", "L1 mean", "variance"}
