package nb

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
)

// A cell's program runs twice over: the process GoNB starts only starts the
// same program again as a child and watches it. Everything the child prints
// goes to the notebook as it comes; but when the child panics (Go prints
// "panic: ..." and a stack trace, and exits with status 2), the watcher
// prints one line instead: the first declaration that failed before the
// panic, if one did (the panic is then most likely its consequence), else
// the panic and the line of main.go it came from. The child's recorded
// failures reach the watcher through a pipe (failuresFD).

// childEnv marks the child process.
const childEnv = "QKV_NB_CHILD"

// failuresFD is the child's file descriptor on which it reports failures.
const failuresFD = 3

func init() {
	// A cell's program lives for a second: collect garbage four times less
	// often (the activations themselves are memory-mapped, not on the heap).
	debug.SetGCPercent(400)
	if os.Getenv(childEnv) != "" || os.Getenv("GONB_TMP_DIR") == "" {
		return
	}
	os.Exit(supervise())
}

// supervise runs this program again as a child and returns the status to
// exit with.
func supervise() int {
	self, err := os.Executable()
	if err != nil {
		return -1 // cannot supervise: run unwatched (never happens on Linux)
	}
	fr, fw, err := os.Pipe()
	if err != nil {
		return -1
	}
	cmd := exec.Command(self, os.Args[1:]...)
	cmd.Env = append(os.Environ(), childEnv+"=1")
	cmd.Stdin, cmd.Stdout = os.Stdin, os.Stdout
	cmd.ExtraFiles = []*os.File{fw}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return -1
	}
	signals := make(chan os.Signal, 4)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "✗ cannot start the cell's program:", err)
		return 0
	}
	fw.Close()
	go func() {
		for s := range signals {
			_ = cmd.Process.Signal(s)
		}
	}()
	reported := make(chan []failure, 1)
	go func() { reported <- readFailures(fr) }()
	crash := forwardUntilPanic(stderr, os.Stderr)
	err = cmd.Wait()
	var exit *exec.ExitError
	code := 0
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	}
	fails := <-reported
	if crash == "" {
		return code
	}
	fmt.Fprintln(os.Stderr, "✗ "+panicMessage(crash, fails))
	return 0
}

// forwardUntilPanic copies r to w line by line until a line starts Go's
// report of a panic or a fatal error; it returns that report (all that
// follows), or "" when there was none.
func forwardUntilPanic(r io.Reader, w io.Writer) string {
	br := bufio.NewReader(r)
	var crash strings.Builder
	for {
		line, err := br.ReadString('\n')
		if crash.Len() == 0 && (strings.HasPrefix(line, "panic: ") || strings.HasPrefix(line, "fatal error: ")) {
			crash.WriteString(line)
		} else if crash.Len() > 0 {
			crash.WriteString(line)
		} else if line != "" {
			io.WriteString(w, line)
		}
		if err != nil {
			return crash.String()
		}
	}
}

// reportFailure sends f to the watcher, when there is one.
func reportFailure(f failure) {
	if os.Getenv(childEnv) == "" {
		return
	}
	b, _ := json.Marshal(map[string]any{"names": f.names, "line": f.line, "msg": f.msg})
	os.NewFile(failuresFD, "failures").Write(append(b, '\n'))
}

func readFailures(r io.Reader) []failure {
	var out []failure
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var f struct {
			Names []string
			Line  int
			Msg   string
		}
		if json.Unmarshal(sc.Bytes(), &f) == nil {
			out = append(out, failure{names: f.Names, line: f.Line, msg: f.Msg})
		}
	}
	return out
}

// frame matches a stack frame of package main and its location.
var frame = regexp.MustCompile(`(?m)^(main\.[^\n(]*)\(.*\)\n\t(\S+):(\d+)`)

// panicMessage turns Go's panic report into one line: the first failure
// recorded before it; else the panic's message, the declaration whose
// evaluation panicked (if one did) and the line of main.go it came from.
func panicMessage(crash string, fails []failure) string {
	if len(fails) > 0 {
		f := fails[0]
		return fmt.Sprintf("%s: %s", strings.Join(f.names, ", "), f.msg)
	}
	first, _, _ := strings.Cut(crash, "\n")
	first = strings.TrimPrefix(strings.TrimPrefix(first, "panic: "), "fatal error: ")
	first = strings.TrimSuffix(first, " [recovered]")
	frames := frame.FindAllStringSubmatch(crash, -1)
	if len(frames) == 0 {
		return "panic: " + first
	}
	at := ""
	if n, _ := strconv.Atoi(frames[0][3]); sourceLine(frames[0][2], n) != "" {
		at = fmt.Sprintf(", at `%s`", sourceLine(frames[0][2], n))
	}
	for _, f := range frames {
		if f[1] == "main.init" {
			n, _ := strconv.Atoi(f[3])
			if d, err := declAt(f[2], n); err == nil {
				return fmt.Sprintf("%s: %s%s", strings.Join(d.Names, ", "), first, at)
			}
		}
	}
	return "panic: " + first + at
}

// sourceLine returns line n of file, trimmed ("" when unreadable).
func sourceLine(file string, n int) string {
	b, err := os.ReadFile(file)
	if err != nil {
		return ""
	}
	lines := strings.Split(string(b), "\n")
	if n < 1 || n > len(lines) {
		return ""
	}
	return strings.TrimSpace(lines[n-1])
}
