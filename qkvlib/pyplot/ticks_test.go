package pyplot

import (
	"math"
	"slices"
	"testing"
)

// TestTicksMatchMatplotlib compares the tick locator and formatter with
// matplotlib 3.11.2: MaxNLocator(nbins, steps=[1, 2, 2.5, 5, 10]).tick_values
// restricted to the view, and ScalarFormatter's labels and offset text.
func TestTicksMatchMatplotlib(t *testing.T) {
	for _, c := range []struct {
		lo, hi float64
		nbins  int
		want   []float64
		labels []string
		offset string
	}{
		{-1, 1, 9, []float64{-1.0, -0.75, -0.5, -0.25, 0.0, 0.25, 0.5, 0.75, 1.0}, []string{"−1.00", "−0.75", "−0.50", "−0.25", "0.00", "0.25", "0.50", "0.75", "1.00"}, ""},
		{-0.5, 113.5, 7, []float64{0.0, 20.0, 40.0, 60.0, 80.0, 100.0}, []string{"0", "20", "40", "60", "80", "100"}, ""},
		{-0.595, 2.595, 5, []float64{0.0, 1.0, 2.0}, []string{"0", "1", "2"}, ""},
		{-7, 7, 9, []float64{-6.0, -4.0, -2.0, 0.0, 2.0, 4.0, 6.0}, []string{"−6", "−4", "−2", "0", "2", "4", "6"}, ""},
		{-4, 4, 9, []float64{-4.0, -3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0, 4.0}, []string{"−4", "−3", "−2", "−1", "0", "1", "2", "3", "4"}, ""},
		{0, 0.4, 9, []float64{0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4}, []string{"0.00", "0.05", "0.10", "0.15", "0.20", "0.25", "0.30", "0.35", "0.40"}, ""},
		{-0.06375, 0.0745, 5, []float64{-0.05, 0.0, 0.05}, []string{"−0.05", "0.00", "0.05"}, ""},
		{0.3685, 1.6, 6, []float64{0.5, 0.75, 1.0, 1.25, 1.5}, []string{"0.50", "0.75", "1.00", "1.25", "1.50"}, ""},
		{-1.75, 36.75, 9, []float64{0.0, 5.0, 10.0, 15.0, 20.0, 25.0, 30.0, 35.0}, []string{"0", "5", "10", "15", "20", "25", "30", "35"}, ""},
		{1000.1, 1000.9, 5, []float64{1000.2, 1000.4, 1000.6, 1000.8}, []string{"0.2", "0.4", "0.6", "0.8"}, "+1e3"},
		{1e-06, 5e-06, 4, []float64{2e-06, 4e-06}, []string{"2", "4"}, "1e−6"},
		{0, 25000000.0, 6, []float64{0.0, 5000000.0, 10000000.0, 15000000.0, 20000000.0, 25000000.0}, []string{"0.0", "0.5", "1.0", "1.5", "2.0", "2.5"}, "1e7"},
		{-0.0542, 0.98, 5, []float64{0.0, 0.25, 0.5, 0.75}, []string{"0.00", "0.25", "0.50", "0.75"}, ""},
	} {
		got := autoTicks(c.lo, c.hi, c.nbins, false)
		if len(got) != len(c.want) {
			t.Errorf("autoTicks(%v, %v, %d) = %v, want %v", c.lo, c.hi, c.nbins, got, c.want)
			continue
		}
		for i := range got {
			if math.Abs(got[i]-c.want[i]) > 1e-9*math.Max(1, math.Abs(c.want[i])) {
				t.Errorf("autoTicks(%v, %v, %d) = %v, want %v", c.lo, c.hi, c.nbins, got, c.want)
				break
			}
		}
		labels, off := formatTicks(c.want, c.lo, c.hi)
		if !slices.Equal(labels, c.labels) || off != c.offset {
			t.Errorf("formatTicks(%v) = %q %q, want %q %q", c.want, labels, off, c.labels, c.offset)
		}
	}
}

// TestAutoscale checks the view limits against matplotlib 3.11.2 (ax.get_xlim /
// get_ylim after plot, bar): 5% margins, bars
// stuck at zero, a constant series widened.
func TestAutoscale(t *testing.T) {
	for _, c := range []struct {
		lo, hi   float64
		stickies []float64
		want     [2]float64
	}{
		{0, 35, nil, [2]float64{-1.75, 36.75}},
		{-0.45, 2.45, nil, [2]float64{-0.595, 2.595}},
		{0, 1.12, []float64{0}, [2]float64{0, 1.176}},               // plt.bar, all positive
		{-0.013, 1.12, []float64{0}, [2]float64{-0.06965, 1.17665}}, // a negative bar
		{2, 2, nil, [2]float64{1.89, 2.11}},                         // constant line
	} {
		got := autoscale(c.lo, c.hi, c.stickies...)
		if math.Abs(got[0]-c.want[0]) > 1e-9 || math.Abs(got[1]-c.want[1]) > 1e-9 {
			t.Errorf("autoscale(%v, %v, %v) = %v, want %v", c.lo, c.hi, c.stickies, got, c.want)
		}
	}
}

// TestFormatFixedTicks compares labels of fixed tick lists (set_xticks) with
// those matplotlib 3.11.2 draws.
func TestFormatFixedTicks(t *testing.T) {
	for _, c := range []struct {
		locs   []float64
		lo, hi float64
		labels []string
		offset string
	}{
		{[]float64{0}, -0.1, 2.1, []string{"0"}, ""},
		{[]float64{0.5}, 0, 1, []string{"0.5"}, ""},
		{[]float64{0.25}, 0, 1, []string{"0.25"}, ""},
		{[]float64{0, 4, 8, 12, 16, 20, 24, 28, 32}, -1.75, 36.75, []string{"0", "4", "8", "12", "16", "20", "24", "28", "32"}, ""},
		{[]float64{0, 5, 10}, 0, 12, []string{"0", "5", "10"}, ""},
		{[]float64{1.5e-7, 3e-7}, 1e-7, 4e-7, []string{"1.5", "3.0"}, "1e−7"},
	} {
		labels, off := formatTicks(c.locs, c.lo, c.hi)
		if !slices.Equal(labels, c.labels) || off != c.offset {
			t.Errorf("formatTicks(%v, %v, %v) = %q %q, want %q %q", c.locs, c.lo, c.hi, labels, off, c.labels, c.offset)
		}
	}
}
