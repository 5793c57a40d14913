package qkvlib

import (
	"bytes"
	"errors"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qkvport/qkv/qkvlib/chapter"
)

func TestNewBackend(t *testing.T) {
	t.Setenv("GOMLX_BACKEND", "")
	t.Setenv("PJRT_PLUGIN_LIBRARY_PATH", t.TempDir()) // no XLA plugin installed
	t.Setenv("HF_HUB_OFFLINE", "1")                   // nor installed now
	for _, tc := range []struct {
		config, wantName, wantErr string
	}{
		{"", "Go Backend", ""},
		{"go", "Go Backend", ""},
		{"go:ops_parallel", "Go Backend", ""},
		{"go:nosuchoption", "", "unknown configuration option"},
		{"bogus", "", "Use GOMLX_BACKEND=go"},
		{"xla:/nonexistent/pjrt_c_api_cpu_plugin.so", "", "PJRT plugin"},
	} {
		b, err := NewBackend(tc.config)
		switch {
		case tc.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("NewBackend(%q): got %v, want an error containing %q", tc.config, err, tc.wantErr)
			}
		case err != nil:
			t.Errorf("NewBackend(%q): %v", tc.config, err)
		case b.Name() != tc.wantName:
			t.Errorf("NewBackend(%q) = %s, want %s", tc.config, b.Name(), tc.wantName)
		}
	}
	t.Setenv("GOMLX_BACKEND", "go")
	if b, err := NewBackend(""); err != nil || b.Name() != "Go Backend" {
		t.Errorf("GOMLX_BACKEND=go: got %v, %v", b, err)
	}
}

// TestXLAInstallFallback checks that NewBackend, with no backend named and
// no plugin installed, falls back to the go backend with a note when the
// plugin cannot be installed, and fast: offline, with the download host not
// answering, when the installer fails, when it hangs. The last case is the
// real download host, which a machine without network cannot reach (on a
// connected one it only checks that the host answers: nothing is installed).
func TestXLAInstallFallback(t *testing.T) {
	t.Setenv("GOMLX_BACKEND", "")
	t.Setenv("PJRT_PLUGIN_LIBRARY_PATH", t.TempDir())
	ln, err := net.Listen("tcp", "127.0.0.1:0") // a host that answers
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	closed, _ := net.Listen("tcp", "127.0.0.1:0")
	closedAddr := closed.Addr().String()
	closed.Close() // a port nobody listens on: refused at once
	fail := func() (string, error) { return "", errors.New("download failed") }
	hang := func() (string, error) { time.Sleep(time.Hour); return "", nil }
	cases := []struct {
		name     string
		inst     xlaInstall
		wantNote string
		wantRun  string // "yes", "no": whether the installer was called; "": either
	}{
		{"offline", xlaInstall{offline: true, probe: ln.Addr().String(), install: fail}, "offline: -offline or HF_HUB_OFFLINE=1", "no"},
		{"host refuses", xlaInstall{probe: closedAddr, install: fail}, "does not answer", "no"},
		{"installer fails", xlaInstall{probe: ln.Addr().String(), install: fail}, "download failed", "yes"},
		{"installer hangs", xlaInstall{probe: ln.Addr().String(), install: hang, limit: 200 * time.Millisecond}, "took longer than 200ms", "yes"},
		{"no XLA in the build", xlaInstall{probe: ln.Addr().String()}, "built without XLA", "no"},
		{"the real download host", xlaInstall{probe: xlaDownloadHost, install: fail}, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var log bytes.Buffer
			var ran atomic.Bool // set on the installer's goroutine, which may outlive the call
			inst := tc.inst
			inst.log = &log
			inst.dial = 3 * time.Second
			if inst.limit == 0 {
				inst.limit = time.Minute
			}
			if f := inst.install; f != nil {
				inst.install = func() (string, error) { ran.Store(true); return f() }
			}
			start := time.Now()
			b, err := newBackendInstalling("", inst)
			if err != nil || b.Name() != "Go Backend" {
				t.Fatalf("got %v, %v; want the go backend", b, err)
			}
			if el := time.Since(start); el > 10*time.Second {
				t.Errorf("the fallback took %s", el)
			}
			if !strings.Contains(log.String(), "using the go backend") || !strings.Contains(log.String(), tc.wantNote) {
				t.Errorf("note %q, want one saying the go backend is used because %q", log.String(), tc.wantNote)
			}
			if got := map[bool]string{true: "yes", false: "no"}[ran.Load()]; tc.wantRun != "" && got != tc.wantRun {
				t.Errorf("installer called: %s, want %s", got, tc.wantRun)
			}
		})
	}
}

// TestBackendForOffline checks that a chapter run with Offline set never
// tries to install the plugin, and says so on its Log.
func TestBackendForOffline(t *testing.T) {
	t.Setenv("GOMLX_BACKEND", "")
	t.Setenv("HF_HUB_OFFLINE", "")
	t.Setenv("PJRT_PLUGIN_LIBRARY_PATH", t.TempDir())
	var log bytes.Buffer
	b, err := backendFor(chapter.Options{Offline: true, Log: &log})
	if err != nil || b.Name() != "Go Backend" {
		t.Fatalf("got %v, %v; want the go backend", b, err)
	}
	if !strings.Contains(log.String(), "offline") {
		t.Errorf("log %q, want the offline note", log.String())
	}
}
