package chapter

import "github.com/qkvport/qkv/qkvlib/tensor"

// FigureData is what the figures need of the layer of parts 1 and 5a beyond
// Results: small enough to keep while streaming.
type FigureData struct {
	// TargetRows is the layer's c_attn output at the target of every
	// sequence (part 1's matrix): [N, 3·n_emb].
	TargetRows []float32
	// Seq0Q is sequence 0's Q at the layer (part 5a): [T, n_emb].
	Seq0Q      []float32
	N, T, NEmb int
}

// Add copies what the figures need from a chunk of the layer: [n, T, 3·n_emb]
// whose first sequence is sequence start of the batch.
func (fd *FigureData) Add(x tensor.Tensor3, start int) {
	n, t, e3 := x.Dims()
	if fd.TargetRows == nil {
		fd.NEmb, fd.T = e3/3, t
	}
	for i := range n {
		fd.TargetRows = append(fd.TargetRows, x.Row(i, t-1)...)
	}
	if start == 0 && fd.Seq0Q == nil {
		for j := range t {
			fd.Seq0Q = append(fd.Seq0Q, x.Row(0, j)[:e3/3]...)
		}
	}
	fd.N += n
}

// FigureDataOf returns the figures' data of layer from stored activations.
func FigureDataOf(acts *Activations, layer int) (*FigureData, error) {
	x, err := acts.Layer(layer)
	if err != nil {
		return nil, err
	}
	fd := &FigureData{}
	fd.Add(x, 0)
	return fd, nil
}
