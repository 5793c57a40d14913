package stats

import (
	"errors"
	"fmt"
)

// Indices of the three matrices in results shaped [3]…
const (
	Query = iota // Q, columns [0, E)
	Key          // K, columns [E, 2E)
	Value        // V, columns [2E, 3E)
)

// Indices of the two token positions in results shaped […][2].
const (
	Target    = iota // token position T-1
	NonTarget        // token position T-2
)

// QKV is one layer's captured c_attn output.
//
// Data: [N, T, 3·E] float32, row-major, Q|K|V in the last axis.
// T must be at least 2 (a target and a non-target position).
type QKV struct {
	Data    []float32
	N, T, E int
}

// NewQKV returns data as a QKV of shape [n, t, 3·e], or an error when the
// shape is invalid or len(data) is not n·t·3·e. data is not copied.
func NewQKV(data []float32, n, t, e int) (QKV, error) {
	q := QKV{Data: data, N: n, T: t, E: e}
	if err := q.check(); err != nil {
		return QKV{}, err
	}
	return q, nil
}

func (q QKV) check() error {
	switch {
	case q.N < 1 || q.E < 1:
		return fmt.Errorf("stats: QKV shape [%d, %d, 3·%d]: N and E must be at least 1", q.N, q.T, q.E)
	case q.T < 2:
		return fmt.Errorf("stats: QKV shape [%d, %d, 3·%d]: T must be at least 2 (target and non-target positions)", q.N, q.T, q.E)
	case len(q.Data) != q.N*q.T*3*q.E:
		return fmt.Errorf("stats: QKV shape [%d, %d, 3·%d] needs %d values, have %d: check the capture's shape",
			q.N, q.T, q.E, q.N*q.T*3*q.E, len(q.Data))
	}
	return nil
}

func (q QKV) mustCheck() {
	if err := q.check(); err != nil {
		panic(err)
	}
}

// Slice returns sequences [i, j) as a QKV sharing q's data.
func (q QKV) Slice(i, j int) QKV {
	q.mustCheck()
	if i < 0 || j > q.N || i >= j {
		panic(fmt.Sprintf("stats: QKV.Slice(%d, %d) out of range [0, %d]", i, j, q.N))
	}
	seq := q.T * 3 * q.E
	return QKV{Data: q.Data[i*seq : j*seq : j*seq], N: j - i, T: q.T, E: q.E}
}

// Row returns the 3·E values of sequence n at token position t, sharing q's
// data: [3·E]. Do not modify them.
func (q QKV) Row(n, t int) []float32 {
	q.mustCheck()
	if n < 0 || n >= q.N || t < 0 || t >= q.T {
		panic(fmt.Sprintf("stats: QKV.Row(%d, %d) out of range [%d, %d]", n, t, q.N, q.T))
	}
	w := 3 * q.E
	start := (n*q.T + t) * w
	return q.Data[start : start+w : start+w]
}

// Split returns zero-copy views of the Q, K and V blocks, each [N, T, E].
// It panics if q's shape is invalid.
func (q QKV) Split() (qm, km, vm Matrix) {
	q.mustCheck()
	mk := func(block int) Matrix {
		return Matrix{data: q.Data, off: block * q.E, n: q.N, t: q.T, e: q.E}
	}
	return mk(Query), mk(Key), mk(Value)
}

// Matrix is a read-only view [N, T, E] of one of the Q, K, V blocks of a
// QKV; consecutive rows are 3·E values apart in the underlying data.
type Matrix struct {
	data    []float32
	off     int // column offset of the block: 0, E or 2E
	n, t, e int
}

// errIndex is the panic value for indices out of range.
var errIndex = errors.New("stats: Matrix index out of range")

// Dims returns the shape [N, T, E].
func (m Matrix) Dims() (n, t, e int) { return m.n, m.t, m.e }

// At returns element [n, t, e].
func (m Matrix) At(n, t, e int) float32 {
	if uint(n) >= uint(m.n) || uint(t) >= uint(m.t) || uint(e) >= uint(m.e) {
		panic(errIndex)
	}
	return m.data[(n*m.t+t)*3*m.e+m.off+e]
}

// Row returns the E values [n, t, :], sharing the QKV's data: [E].
// Do not modify them.
func (m Matrix) Row(n, t int) []float32 {
	if uint(n) >= uint(m.n) || uint(t) >= uint(m.t) {
		panic(errIndex)
	}
	return m.row(n, t)
}

func (m Matrix) row(n, t int) []float32 {
	start := (n*m.t+t)*3*m.e + m.off
	return m.data[start : start+m.e : start+m.e]
}
