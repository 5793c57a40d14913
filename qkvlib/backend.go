package qkvlib

import (
	"fmt"
	"os"
	"strings"

	"github.com/gomlx/compute"
	_ "github.com/gomlx/compute/gobackend" // the pure Go backend, "go"
	"github.com/qkvport/qkv/qkvlib/chapter"
)

// DefaultBackend is the backend used when neither Options.Backend nor
// $GOMLX_BACKEND names one and no XLA plugin is installed or can be: the
// pure Go backend, which works offline everywhere.
const DefaultBackend = "go"

// NewBackend returns the GoMLX backend named by config ("go", "xla:cpu",
// "xla:cuda", "xla:/path/to/pjrt_plugin.so"). An empty config means
// $GOMLX_BACKEND; failing that, an installed XLA plugin (CUDA first, then
// CPU; see installedXLA); failing that, XLA's CPU plugin installed now, once,
// with go-xla's installer into ~/.local/lib/go-xla (a progress line on
// stderr; skipped with HF_HUB_OFFLINE=1), as it runs GPT-2 about twice as
// fast as the go backend; and when that cannot be done (offline, say),
// DefaultBackend, with a line on stderr that says why. "-backend go" or
// GOMLX_BACKEND=go opts out of the installation. It turns GoMLX's panics
// into errors that say what to do.
//
// A bare "go" becomes GoBackendConfig: each graph runs its ops one after
// another, while gpt2 runs chunks side by side on their own goroutines
// (gpt2.DefaultLanes). Name options ("go:ops_parallel", ...) to override.
func NewBackend(config string) (compute.Backend, error) {
	return newBackendInstalling(config, defaultXLAInstall())
}

// backendFor is NewBackend(opt.Backend) for a chapter's options: when
// opt.Offline is set no plugin is downloaded, and the installer's lines go to
// opt.LogWriter().
func backendFor(opt chapter.Options) (compute.Backend, error) {
	inst := defaultXLAInstall()
	inst.offline = inst.offline || opt.Offline
	inst.log = opt.LogWriter()
	return newBackendInstalling(opt.Backend, inst)
}

// newBackendInstalling is NewBackend with the plugin installation spelled out.
func newBackendInstalling(config string, inst xlaInstall) (compute.Backend, error) {
	if config == "" {
		config = os.Getenv(compute.ConfigEnvVar)
	}
	if config != "" {
		return newBackend(config)
	}
	for _, c := range installedXLA() {
		if b, err := newBackend(c); err == nil {
			return b, nil
		}
	}
	if c, err := inst.run(); err != nil {
		fmt.Fprintf(inst.log, "qkv: using the go backend: XLA's CPU plugin could not be installed (%v)\n", err)
	} else if b, err := newBackend(c); err == nil {
		return b, nil
	} else {
		fmt.Fprintf(inst.log, "qkv: using the go backend: the XLA plugin just installed does not start (%v)\n", err)
	}
	return newBackend(DefaultBackend)
}

// GoBackendConfig is the go backend's configuration when "go" is asked for
// without options. In GoMLX's default, dynamic mode, the first of two graphs
// running at once runs its ops in parallel and the second one after another;
// one after another for both was 5% faster on the gpt2-large-shaped
// benchmark (BenchmarkCaptureLargeShape, 3 layers, 5 alternated sittings:
// 4.34–4.81 s against 4.65–5.28 s).
const GoBackendConfig = "go:ops_sequential"

func newBackend(config string) (b compute.Backend, err error) {
	if config == "go" {
		config = GoBackendConfig
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
		if err != nil {
			err = fmt.Errorf("qkvlib: starting the %q backend: %w\n%s", config, err, backendHint(config))
			b = nil
		}
	}()
	return compute.NewWithConfig(config)
}

func backendHint(config string) string {
	if strings.HasPrefix(config, "xla") {
		return "The xla backends need a PJRT plugin: point GOMLX_BACKEND at it (xla:/path/to/pjrt_c_api_cpu_plugin.so), " +
			"or set PJRT_PLUGIN_LIBRARY_PATH to the folder holding it, or use GOMLX_BACKEND=go (pure Go, always available)."
	}
	return fmt.Sprintf("Known backends: %s. Use GOMLX_BACKEND=go for the pure Go backend.", strings.Join(compute.List(), ", "))
}

// BackendLabel names a backend for people: "the go backend", or the XLA
// plugin's description.
func BackendLabel(b compute.Backend) string {
	if b.Name() == "Go Backend" {
		return "the go backend"
	}
	return b.Description()
}

// SpeedHint returns a one-line suggestion when a faster backend could run
// the forward, or "": XLA's CPU backend runs GPT-2 1.6–1.9x as fast as the go
// backend (measured on a gpt2-large-shaped forward of the book's batch, 2
// cores: 42 s against 67–78 s).
func SpeedHint(b compute.Backend) string {
	if b.Name() != "Go Backend" {
		return ""
	}
	return "note: XLA's CPU backend runs this 1.6-1.9x as fast: set GOMLX_BACKEND=xla:cpu (go-xla installs its plugin into ~/.local/lib/go-xla on first use)"
}
