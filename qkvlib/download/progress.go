package download

import (
	"fmt"
	"io"
	"os"
	"time"
)

// bigFile is the size from which a download reports its progress on
// Options.Log (a file of unknown size reports too).
const bigFile = 10_000_000

// progress reports a file's download: to Options.Progress at every chunk,
// and, for a big file, on Options.Log: a line when it starts, then "bytes of
// total (percent), rate, time left", rewritten in place about twice a second
// on a terminal, else a plain line every 10 seconds, then a closing line.
type progress struct {
	w        io.Writer // nil: no lines
	cb       func(file string, done, total int64)
	file, id string
	total    int64 // -1 when unknown
	tty      bool
	every    time.Duration
	start    time.Time
	from     int64 // bytes held when this run started
	last     time.Time
	inLine   bool
}

func newProgress(opt Options, file, id string, total int64) *progress {
	p := &progress{cb: opt.Progress, file: file, id: id, total: total, every: 10 * time.Second}
	if opt.Log != nil && (total < 0 || total >= bigFile) {
		p.w = opt.Log
	}
	if f, ok := p.w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.tty, p.every = true, time.Second/2
		}
	}
	return p
}

// begin starts the report; have bytes are there from an earlier run.
func (p *progress) begin(have int64) {
	p.start, p.last, p.from = time.Now(), time.Now(), have
	if p.w == nil {
		return
	}
	size := ""
	if p.total >= 0 {
		size = " of " + byteSize(p.total)
	}
	if have > 0 {
		fmt.Fprintf(p.w, "Resuming %s of %s at %s%s\n", p.file, p.id, byteSize(have), size)
		return
	}
	if p.total >= 0 {
		size = " (" + byteSize(p.total) + ")"
	}
	fmt.Fprintf(p.w, "Downloading %s of %s%s\n", p.file, p.id, size)
}

// update reports that done bytes are there.
func (p *progress) update(done int64) {
	if p.cb != nil {
		p.cb(p.file, done, p.total)
	}
	now := time.Now()
	if p.w == nil || now.Sub(p.last) < p.every {
		return
	}
	p.last = now
	msg := progressLine(p.file, done-p.from, done, p.total, now.Sub(p.start))
	if p.tty {
		fmt.Fprintf(p.w, "\r%s   ", msg)
		p.inLine = true
		return
	}
	fmt.Fprintln(p.w, msg)
}

// end closes the report, unless this run brought no byte: done bytes are
// there, and note says what came of them ("size and sha256 checked",
// "stopped").
func (p *progress) end(done int64, note string) {
	if p.cb != nil && done == p.total {
		p.cb(p.file, done, p.total)
	}
	if p.w == nil || done == p.from {
		return
	}
	if p.inLine {
		fmt.Fprint(p.w, "\r")
	}
	el := time.Since(p.start)
	fmt.Fprintf(p.w, "%s: %s in %s (%s/s), %s\n", p.file, byteSize(done), el.Round(time.Second),
		byteSize(int64(float64(done-p.from)/max(el.Seconds(), 1e-3))), note)
}

// progressLine is "file: done of total (percent), rate, about T left", where
// the rate counts the got bytes fetched in elapsed.
func progressLine(file string, got, done, total int64, elapsed time.Duration) string {
	rate := float64(got) / max(elapsed.Seconds(), 1e-3)
	msg := fmt.Sprintf("%s: %s", file, byteSize(done))
	if total > 0 {
		msg += fmt.Sprintf(" of %s (%.0f%%)", byteSize(total), 100*float64(done)/float64(total))
	}
	msg += fmt.Sprintf(", %s/s", byteSize(int64(rate)))
	if total > 0 && rate > 0 {
		left := time.Duration(float64(total-done) / rate * float64(time.Second))
		msg += fmt.Sprintf(", about %s left", left.Round(time.Second))
	}
	return msg
}
