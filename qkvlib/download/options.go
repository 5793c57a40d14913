package download

import (
	"io"
	"os"
	"strings"
	"time"

	"github.com/qkvport/qkv/qkvlib/hub"
)

// DefaultEndpoint is the HuggingFace Hub, used when neither Options.Endpoint
// nor $HF_ENDPOINT is set.
const DefaultEndpoint = "https://huggingface.co"

// Options tune Resolve. The zero value is ready to use.
type Options struct {
	// Revision is a branch, a tag or a 40-hex commit hash; default "main".
	Revision string
	// CacheDir overrides the HuggingFace cache folder (see hub.DefaultCacheDir).
	CacheDir string
	// Offline forbids any network access, like HF_HUB_OFFLINE=1.
	Offline bool
	// Token authenticates downloads of gated or private repos; default $HF_TOKEN.
	Token string
	// Endpoint is the hub's base URL; default $HF_ENDPOINT, else DefaultEndpoint.
	Endpoint string
	// Progress, when set, is called as each file downloads: done of total
	// bytes (total is -1 when the server does not say).
	Progress func(file string, done, total int64)
	// Log, when set, receives a progress line for every big file downloaded
	// (bytes, rate and time left; rewritten in place on a terminal, a plain
	// line every few seconds otherwise) and notices such as waiting for
	// another process that downloads the same file. qkvlib passes its
	// Options.Log (os.Stderr unless set).
	Log io.Writer
	// Retries is how many more times a request is tried after the hub answers
	// 5xx or 429, or the connection breaks after it was made (a download
	// resumes where it broke); default 4, negative for none. A try that gets
	// further into the file than any before does not count.
	Retries int
	// RetryWait is the wait before the first retry, doubled before each next
	// one; default 1s.
	RetryWait time.Duration

	// stallTimeout ends a try whose body brings no byte for that long; default
	// 60s (tests shorten it). An answer's headers may take a minute.
	stallTimeout time.Duration
}

// hub returns the options of hub.Find.
func (o Options) hub() hub.Options {
	return hub.Options{Revision: o.Revision, CacheDir: o.CacheDir, Offline: o.Offline}
}

func (o Options) retries() int {
	switch {
	case o.Retries < 0:
		return 0
	case o.Retries == 0:
		return 4
	}
	return o.Retries
}

func (o Options) retryWait() time.Duration {
	if o.RetryWait <= 0 {
		return time.Second
	}
	return o.RetryWait
}

func (o Options) stall() time.Duration {
	if o.stallTimeout <= 0 {
		return time.Minute
	}
	return o.stallTimeout
}

func (o Options) token() string {
	if o.Token != "" {
		return o.Token
	}
	return os.Getenv("HF_TOKEN")
}

func (o Options) endpoint() string {
	e := o.Endpoint
	if e == "" {
		e = os.Getenv("HF_ENDPOINT")
	}
	if e == "" {
		e = DefaultEndpoint
	}
	return strings.TrimSuffix(e, "/")
}
