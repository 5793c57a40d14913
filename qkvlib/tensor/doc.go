// Package tensor holds the arrays of the chapter, with the few torch
// operations its cells use: read-only float32 views of the captured
// activations and a small float64 n-d array for the result tables.
//
// # Activations
//
// A layer's capture attn_{i}_qkv is a [Tensor3] [N, T, 3·E]: N sequences, T
// tokens (context + 1, the target last), E = n_emb. [Tensor3.Split] gives the
// zero-copy Q, K and V blocks [N, T, E] (torch.split(x, n_emb, dim=-1)),
// [Tensor3.Token] one token of every sequence as a 2-D [Matrix] (X[:, -1, :],
// a gonum mat.Matrix, ready to plot), and [Tensor3.View] the heads view
// [Tensor4] [N, T, H, D] (Q.view(N, T, H, D)).
//
// Reductions follow torch's names and dims: [Matrix.Mean], [Matrix.Var] and
// [Matrix.Std] along a dim (1: along each row), [Matrix.Abs], [Tensor4.Std]
// along the tokens; each returns a [Vector], whose Mean is torch's .mean()
// of everything: torch.mean(Q[:,-1,:], dim=1).mean() is
// Q.Token(-1).Mean(1).Mean(). Sums are accumulated in float64, so results agree
// with torch's float32 ones to float32 rounding (relative ~1e-6). Variances and
// standard deviations are unbiased (÷ n-1), as torch's; over one value they
// are NaN, as in torch.
//
// [Histogram] is torch.histogram(x, edges, density), with torch's bin rules
// and, on edges from [Linspace] (torch.linspace, to the bit), torch's bins to
// the bit. [Bins] counts several calls' values into one histogram.
//
// # Result tables
//
// [Array] is a dense float64 n-d array with numpy-like indexing ([All] is
// ":"): torch.zeros((n_layers, 3, 3, 2)) is Zeros(n_layers, 3, 3, 2),
// descriptives[layeri, 0, :, 0] = T is SetSlice(T, layeri, 0, All, 0), and
// descriptives[:, 0, i, :].mean(dim=-1) is Slice(All, 0, i, All).Mean(-1). A
// 2-D Array is a gonum mat.Matrix.
//
// # Zero values and panics
//
// Following gonum, an index out of range or a shape that does not fit panics.
// The zero value of each view is empty instead: its views are empty and its
// reductions NaN, so code over activations that failed to load (see the
// notebooks' deferred errors) computes nothing rather than panicking. A nil
// *Array behaves the same way.
package tensor
