//go:build !noxla

package qkvlib

import (
	"sort"
	"strings"

	_ "github.com/gomlx/go-xla/compute/xla" // "xla:cpu", "xla:cuda", "xla:/path/plugin.so"
	"github.com/gomlx/go-xla/pjrt"
)

// installedXLA lists the XLA backends whose PJRT plugins are already
// installed (PJRT_PLUGIN_LIBRARY_PATH, ~/.local/lib/go-xla, /usr/local/lib/go-xla,
// the system library folders), CUDA first, as configs naming the plugin file,
// so that choosing one never downloads anything.
func installedXLA() []string {
	var cuda, cpu []string
	for name, path := range pjrt.AvailablePlugins() {
		switch {
		case strings.HasPrefix(name, "cuda"):
			cuda = append(cuda, "xla:"+path)
		case strings.HasPrefix(name, "cpu"):
			cpu = append(cpu, "xla:"+path)
		}
	}
	sort.Strings(cuda)
	sort.Strings(cpu)
	return append(cuda, cpu...)
}
