package qkvlib

import (
	"fmt"
	"io"
	"time"
)

// progress prints "label: done/total (pct), elapsed, ETA" lines on w, at most
// about once a second, and always the last one.
type progress struct {
	w     io.Writer
	label string
	start time.Time
	last  time.Time
	shown bool
}

func newProgress(w io.Writer, label string) *progress {
	return &progress{w: w, label: label, start: time.Now()}
}

func (p *progress) update(done, total int) {
	now := time.Now()
	if done < total && now.Sub(p.last) < time.Second {
		return
	}
	p.last = now
	el := now.Sub(p.start)
	eta := time.Duration(0)
	if done > 0 {
		eta = time.Duration(float64(el) * float64(total-done) / float64(done))
	}
	fmt.Fprintf(p.w, "\r%s: %d/%d block passes (%3.0f%%), %s elapsed, about %s left   ",
		p.label, done, total, 100*float64(done)/float64(total), el.Round(time.Second), eta.Round(time.Second))
	p.shown = true
}

func (p *progress) done() {
	if p.shown {
		fmt.Fprintln(p.w)
	}
}
