package nb

import (
	"fmt"
	"html"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
)

// sliderEnv tells a copy of the program that it draws a slider's figures
// into the folder it names.
const sliderEnv = "QKV_NB_SLIDER"

// Slider shows the figures that draw(v) returns for v in [0, n), with a
// slider over v that starts at start: the book's figures redrawn for
// another layer, say.
//
// The figures are drawn in the background by a copy of this program, start
// first, then the values nearest to it, into SVG files in the folder
// slider_LABEL beside the notebook; the slider shows them by itself (in the
// page, with JavaScript, as each file appears), so the cell ends, and the
// kernel is free for the next one, as soon as the slider is shown. It moves
// with the mouse and the arrow keys and shows its value. figures is the
// number of figures draw returns. Without a notebook page (nbconvert, a
// headless run) the figures of start show as images once drawn.
func Slider(label string, n, start, figures int, draw func(v int) []Figure) {
	if dir := os.Getenv(sliderEnv); dir != "" {
		drawAll(dir, n, start, draw)
		os.Exit(0)
	}
	if n < 1 || start < 0 || start >= n {
		End(fmt.Sprintf("slider %s: %d is not among its values 0 to %d", label, start, n-1))
	}
	base := "slider_" + strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ' ' {
			return '_'
		}
		return r
	}, label)
	dir := filepath.Join(base, newRunID())
	Check(os.MkdirAll(dir, 0o755))
	pruneRuns(base, 3)
	Check(drawInBackground(dir))
	DisplayHTML(sliderHTML(label, dir, n, start, figures))
}

// drawOne writes the figures of v into dir and returns how many there are.
func drawOne(dir string, v int, draw func(int) []Figure) int {
	figs := draw(v)
	for j, f := range figs {
		svg := Must(f.SVG())
		path := filepath.Join(dir, figureFile(v, j))
		tmp := path + ".tmp"
		Check(os.WriteFile(tmp, svg, 0o644))
		Check(os.Rename(tmp, path)) // the page never loads half a file
	}
	return len(figs)
}

// drawAll draws every value's figures that dir lacks, nearest to start first.
func drawAll(dir string, n, start int, draw func(int) []Figure) {
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	dist := func(v int) int { return max(v-start, start-v) }
	slices.SortStableFunc(order, func(a, b int) int { return dist(a) - dist(b) })
	for _, v := range order {
		if _, err := os.Stat(filepath.Join(dir, figureFile(v, 0))); err == nil {
			continue
		}
		drawOne(dir, v, draw)
	}
}

func figureFile(v, j int) string { return fmt.Sprintf("v%03d_%d.svg", v, j) }

// drawInBackground starts a copy of this program that draws the other
// values into dir, detached from the cell: its output goes nowhere and the
// kernel does not wait for it.
//
// The copy must hold no end of a pipe that the cell's watcher (supervise)
// or GoNB reads to its end: the watcher reads the failures pipe, this
// process's file descriptor 3, until every writer has closed it, so a copy
// that inherited it would keep the cell running, and the kernel busy, until
// the last figure is drawn. Its descriptor 3 is /dev/null instead (it
// inherits no other: Go opens every file close-on-exec).
//
// The copy runs at the lowest priority (lowPriority), so that the cells a
// reader runs meanwhile do not share the cores with it: it draws when they
// leave the cores idle.
func drawInBackground(dir string) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	defer null.Close()
	cmd := lowPriority(self, os.Args[1:]...)
	cmd.ExtraFiles = []*os.File{null} // failuresFD: the copy's failures go nowhere
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GONB_PIPE") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, sliderEnv+"="+abs, childEnv+"=1")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return err
	}
	return cmd.Process.Release()
}

// lowPriority returns the command that runs name with args at nice 19, or
// as is where there is no nice command.
func lowPriority(name string, args ...string) *exec.Cmd {
	if nice, err := exec.LookPath("nice"); err == nil {
		return exec.Command(nice, append([]string{"-n", "19", name}, args...)...)
	}
	return exec.Command(name, args...)
}

// newRunID names a slider's folder of figures.
func newRunID() string {
	return fmt.Sprintf("%012x", rand.Uint64()>>16) // 48 random bits (math/rand/v2: cells need not link crypto/rand)
}

// pruneRuns removes all but the newest keep folders of figures under base.
func pruneRuns(base string, keep int) {
	entries, err := os.ReadDir(base)
	if err != nil {
		return
	}
	type run struct {
		name string
		mod  int64
	}
	var runs []run
	for _, e := range entries {
		if info, err := e.Info(); err == nil && e.IsDir() {
			runs = append(runs, run{e.Name(), info.ModTime().UnixNano()})
		}
	}
	slices.SortFunc(runs, func(a, b run) int { return int(b.mod - a.mod) })
	for _, r := range runs[min(keep, len(runs)):] {
		_ = os.RemoveAll(filepath.Join(base, r.name))
	}
}

// sliderHTML is the slider and its images. The images' first sources are
// relative paths, which Jupyter resolves to its files URL; the script swaps
// the value in them.
//
// The keys that move a range input (the arrows, Home, End, PageUp,
// PageDown) must not also reach the notebook's shortcuts, where the arrows
// move the cell selection; every other key must, so that Shift+Enter,
// Escape or Ctrl+S do what they do elsewhere in the notebook. JupyterLab 4
// and Notebook 7 match shortcuts in Lumino's keydown listener on the
// document: in the bubbling phase in JupyterLab 4.6, in the capturing phase
// in Notebook 7.6, where the input would see the key only after a shortcut
// took it. Lumino matches a shortcut's selector against the event's target
// and its ancestors, and skips an event whose target (or an ancestor below
// the one that matched) has data-lm-suppress-shortcuts; a focused input
// matches the notebook's command-mode selector ('… :focus') itself, so the
// attribute must be on the input. One listener on the window, in the
// capturing phase (before any of the document's), sets it for a moving key
// and removes it for any other; the input also stops a moving key's
// propagation, for pages whose shortcuts listen in the bubbling phase
// without that attribute.
func sliderHTML(label, dir string, n, start, figs int) string {
	id := "qkv-slider-" + newRunID()
	var imgs strings.Builder
	for j := range figs {
		src := filepath.ToSlash(filepath.Join(dir, figureFile(start, j)))
		fmt.Fprintf(&imgs, `<img src="%s" alt="%s %d, figure %d" style="display:block;width:100%%;height:auto">`, html.EscapeString(src), html.EscapeString(label), start, j+1)
	}
	return fmt.Sprintf(`<div id="%[1]s" class="qkv-slider" style="font-family:sans-serif">
<label style="display:flex;align-items:center;gap:.6em;font-weight:bold">%[2]s
<input type="range" min="0" max="%[3]d" step="1" value="%[4]d" aria-label="%[2]s" style="flex:1;max-width:30em">
<output>%[4]d</output></label>
<div class="qkv-slider-figures">%[5]s</div>
</div>
<script>
(function () {
  var root = document.getElementById(%[6]s);
  if (!root) return;
  var input = root.querySelector('input'), out = root.querySelector('output');
  var imgs = Array.prototype.slice.call(root.querySelectorAll('img'));
  var pad = function (v) { return ('00' + v).slice(-3); };
  var tag = 'v' + pad(%[4]d) + '_';
  // base is an image's source without the retry's r parameter: the path
  // Jupyter resolved to its files URL (which happens after this script runs).
  var base = function (img) { return img.getAttribute('src').replace(/[?&]r=\d+$/, ''); };
  // An image whose file is not drawn yet fails to load: try again every
  // 250 ms, for up to 10 minutes, while the slider still wants that file.
  var retry = function () {
    var img = this, want = base(img), tries = +(img.dataset.tries || 0);
    if (tries >= 2400) return;
    img.dataset.tries = tries + 1;
    setTimeout(function () {
      if (base(img) === want) img.src = want + (want.indexOf('?') < 0 ? '?' : '&') + 'r=' + Date.now();
    }, 250);
  };
  imgs.forEach(function (img) {
    img.onerror = retry;
    if (img.complete && !img.naturalWidth) retry.call(img); // failed before this script ran
  });
  var show = function () {
    var v = input.value, want = 'v' + pad(v) + '_';
    out.textContent = v;
    imgs.forEach(function (img) {
      img.dataset.tries = 0;
      img.alt = %[7]s + ' ' + v;
      img.src = base(img).replace(tag, want);
    });
    tag = want;
  };
  if (!window.qkvSliderMoves) {
    // qkvSliderMoves returns the slider whose input a keydown moves, or null.
    window.qkvSliderMoves = function (e) {
      var s = e.target && e.target.closest ? e.target.closest('.qkv-slider') : null;
      return s && e.target === s.querySelector('input') && !e.ctrlKey && !e.metaKey && !e.altKey &&
        /^(Arrow(Left|Right|Up|Down)|Home|End|Page(Up|Down))$/.test(e.key) ? s : null;
    };
    window.addEventListener('keydown', function (e) {
      var s = e.target && e.target.closest ? e.target.closest('.qkv-slider') : null;
      if (s && window.qkvSliderMoves(e)) e.target.setAttribute('data-lm-suppress-shortcuts', 'true');
      else if (s && e.target.removeAttribute) e.target.removeAttribute('data-lm-suppress-shortcuts');
    }, true);
  }
  input.addEventListener('input', show);
  input.addEventListener('keydown', function (e) { if (window.qkvSliderMoves(e)) e.stopPropagation(); });
})();
</script>`, id, html.EscapeString(label), n-1, start, imgs.String(), strconv.Quote(id), strconv.Quote(label))
}
