package qkvlib

import (
	"fmt"
	"io"
	"os"
	"time"
)

// Progress reports "label: done/total (pct), elapsed, ETA" on w: rewriting
// one line about once a second on a terminal, else one line every few seconds.
type Progress struct {
	w      io.Writer
	label  string
	tty    bool
	every  time.Duration
	start  time.Time
	last   time.Time
	inLine bool
}

// NewProgress starts a progress report on w.
func NewProgress(w io.Writer, label string) *Progress {
	p := &Progress{w: w, label: label, start: time.Now(), every: 5 * time.Second}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.tty, p.every = true, time.Second
		}
	}
	return p
}

// Update reports that done of total steps are done.
func (p *Progress) Update(done, total int) {
	now := time.Now()
	if done < total && now.Sub(p.last) < p.every {
		return
	}
	p.last = now
	el := now.Sub(p.start)
	eta := time.Duration(0)
	if done > 0 {
		eta = time.Duration(float64(el) * float64(total-done) / float64(done))
	}
	msg := fmt.Sprintf("%s: %d/%d block passes (%3.0f%%), %s elapsed, about %s left",
		p.label, done, total, 100*float64(done)/float64(total), el.Round(time.Second), eta.Round(time.Second))
	if p.tty {
		fmt.Fprintf(p.w, "\r%s   ", msg)
		p.inLine = true
		return
	}
	fmt.Fprintln(p.w, msg)
}

// Done ends the report.
func (p *Progress) Done() {
	if p.inLine {
		fmt.Fprintln(p.w)
	}
}
