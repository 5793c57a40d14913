// Package paired tests paired differences: part 6's question, whether each
// non-target − target difference of the chapter's descriptives is more than
// the windows' own scatter.
//
// Each sequence gives a paired difference, its non-target value minus its
// target value, for every layer, matrix and descriptive ([PositionDiffs]:
// [Diffs] of N sequences by C cells). [Positions] (or [Test] on any Diffs)
// reports for every cell the mean difference, Cohen's d_z ([CohensDz]), the
// two-sided sign-flip permutation p-value ([SignFlipTest], exact over all
// 2^N flips for small N, else seeded random flips), the p-values adjusted
// over all cells by Benjamini–Hochberg ([BHAdjust]) and a bootstrap
// percentile interval of the mean difference ([BootstrapMeanCI]).
//
// The p-values and intervals follow scipy.stats.permutation_test,
// false_discovery_control and bootstrap(method='percentile'); the random
// draws come from math/rand/v2's PCG with a fixed seed ([Options]), the same
// on every machine and for any number of goroutines.
package paired
