package nb

import (
	"os"
	"strings"
	"testing"
)

// TestLowPriority runs a shell through lowPriority and reads its nice value
// back from /proc (field 19 of /proc/self/stat).
func TestLowPriority(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc/self/stat on this system")
	}
	out, err := lowPriority("/bin/sh", "-c", "cut -d' ' -f19 /proc/$$/stat").Output()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(string(out)); got != "19" {
		t.Errorf("nice value %q, want 19", got)
	}
}
