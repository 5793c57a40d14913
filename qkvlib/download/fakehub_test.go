package download

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qkvport/qkv/internal/hfcache/hfcachetest"
)

var (
	fakeSafetensors = hfcachetest.Safetensors
	sha256Hex       = hfcachetest.SHA256Hex
)

// gitBlobID is the git object id of content, the hub's ETag of a file that is
// not in LFS.
func gitBlobID(content string) string {
	sum := sha1.Sum([]byte(fmt.Sprintf("blob %d\x00%s", len(content), content)))
	return hex.EncodeToString(sum[:])
}

// fakeHub serves a repo the way huggingface.co does: the revision info at
// /api/models/ID/revision/REV; a file's HEAD at /ID/resolve/HASH/FILE with
// ETag and Content-Length, or, for a .safetensors file (in LFS), a redirect
// to storage at localhost/cdn/<sha256> with X-Linked-Etag and
// X-Linked-Size; the bytes with Range support. Its faults inject what real
// networks do into the requests and bodies of the .safetensors file.
type fakeHub struct {
	t     *testing.T
	id    string
	hash  string
	files map[string]string

	mu sync.Mutex
	faults

	busy    sync.WaitGroup // requests being answered
	gets    []string       // files served with GET
	sent    int64          // bytes of .safetensors bodies sent
	auth    []string       // Authorization headers seen by the hub
	cdnAuth []string       // and by the storage it redirects to
}

// faults are a fakeHub's knobs; once it serves, change them with set.
type faults struct {
	failInfo int           // answer the next failInfo info requests with 500
	failHead int           // same for HEAD requests
	failGet  int           // same for GET requests
	cutAt    int64         // cut bodies at this offset of the file (0: never)...
	cutEvery int64         // ...or after this many bytes of a body (0: never)...
	cuts     int           // ...this many times (-1: always)
	corrupt  int64         // flip the byte at this offset of the file (-1: never)
	noRange  bool          // ignore Range: answer 200 with the whole file
	unsized  bool          // send neither X-Linked-Size nor Content-Length
	stallAt  int64         // pause stall at this offset of the file, once (0: never)
	stall    time.Duration //
	slow     time.Duration // pause after every 4 KB of a body
	gate     chan struct{} // when set, bodies wait for it to close
}

// set changes the faults (f gets h, locked).
func (h *fakeHub) set(f func(h *fakeHub)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	f(h)
}

// knobs returns the faults as they are now.
func (h *fakeHub) knobs() faults {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.faults
}

func newFakeHub(t *testing.T, id, hash string, files map[string]string) *fakeHub {
	return &fakeHub{t: t, id: id, hash: hash, files: files, faults: faults{corrupt: -1}}
}

// take reports whether a fault counter is positive, and decrements it.
func (h *fakeHub) take(n *int) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if *n == 0 {
		return false
	}
	if *n > 0 {
		*n--
	}
	return true
}

// newRun waits for the requests of the last run to end (a handler may write
// on after its client went) and zeroes the bytes sent.
func (h *fakeHub) newRun() {
	h.busy.Wait()
	h.mu.Lock()
	h.sent = 0
	h.mu.Unlock()
}

// sentBytes waits for the requests being answered to end and returns the
// bytes of .safetensors bodies sent.
func (h *fakeHub) sentBytes() int64 {
	h.busy.Wait()
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.sent
}

func (h *fakeHub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.busy.Add(1)
	defer h.busy.Done()
	h.mu.Lock()
	if strings.HasPrefix(r.URL.Path, "/cdn/") {
		h.cdnAuth = append(h.cdnAuth, r.Header.Get("Authorization"))
	} else {
		h.auth = append(h.auth, r.Header.Get("Authorization"))
	}
	h.mu.Unlock()
	if r.URL.Path == "/api/models/"+h.id+"/revision/main" {
		if h.take(&h.failInfo) {
			http.Error(w, "busy", http.StatusInternalServerError)
			return
		}
		var sib []map[string]string
		for f := range h.files {
			sib = append(sib, map[string]string{"rfilename": f})
		}
		json.NewEncoder(w).Encode(map[string]any{"id": h.id, "sha": h.hash, "siblings": sib})
		return
	}
	if sha, ok := strings.CutPrefix(r.URL.Path, "/cdn/"); ok {
		for f, content := range h.files {
			if sha256Hex(content) == sha {
				h.serveBytes(w, r, f, content)
				return
			}
		}
		http.NotFound(w, r)
		return
	}
	file, ok := strings.CutPrefix(r.URL.Path, "/"+h.id+"/resolve/"+h.hash+"/")
	content, exists := h.files[file]
	if !ok || !exists {
		http.NotFound(w, r)
		return
	}
	faulty := strings.HasSuffix(file, ".safetensors")
	if faulty && (r.Method == http.MethodHead && h.take(&h.failHead) || r.Method == http.MethodGet && h.take(&h.failGet)) {
		http.Error(w, "busy", http.StatusInternalServerError)
		return
	}
	w.Header().Set("X-Repo-Commit", h.hash)
	if faulty {
		w.Header().Set("X-Linked-Etag", `"`+sha256Hex(content)+`"`)
		if !h.knobs().unsized {
			w.Header().Set("X-Linked-Size", strconv.Itoa(len(content)))
		}
		w.Header().Set("ETag", `"`+gitBlobID(content)+`"`) // the LFS pointer's, not the blob's name
		// The storage is another host: localhost for 127.0.0.1.
		_, port, _ := strings.Cut(r.Host, ":")
		http.Redirect(w, r, "http://localhost:"+port+"/cdn/"+sha256Hex(content), http.StatusFound)
		return
	}
	w.Header().Set("ETag", `"`+gitBlobID(content)+`"`)
	h.serveBytes(w, r, file, content)
}

// serveBytes answers a HEAD or a GET (from a Range) of content, with the
// faults set.
func (h *fakeHub) serveBytes(w http.ResponseWriter, r *http.Request, file, content string) {
	faulty := strings.HasSuffix(file, ".safetensors")
	k := h.knobs()
	start := int64(0)
	if rg, ok := strings.CutPrefix(r.Header.Get("Range"), "bytes="); ok && !k.noRange {
		n, err := strconv.ParseInt(strings.TrimSuffix(rg, "-"), 10, 64)
		if err != nil || n >= int64(len(content)) {
			w.WriteHeader(http.StatusRequestedRangeNotSatisfiable)
			return
		}
		start = n
		w.Header().Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", n, len(content)-1, len(content)))
	}
	body := []byte(content[start:])
	if faulty && k.corrupt >= start && k.corrupt < int64(len(content)) {
		body[k.corrupt-start] ^= 0x20
	}
	if !(faulty && k.unsized) {
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	}
	if start > 0 {
		w.WriteHeader(http.StatusPartialContent)
	}
	if r.Method != http.MethodGet {
		return
	}
	h.mu.Lock()
	h.gets = append(h.gets, file)
	h.mu.Unlock()
	if !faulty {
		w.Write(body)
		return
	}
	h.writeFaulty(w, r, body, start)
}

// writeFaulty writes body (the file from offset start on) in 4 KB pieces,
// cutting, stalling and slowing it as set, and counts the bytes sent.
func (h *fakeHub) writeFaulty(w http.ResponseWriter, r *http.Request, body []byte, start int64) {
	k := h.knobs()
	if k.gate != nil {
		<-k.gate
	}
	end := int64(len(body))
	if k.cutAt > 0 && k.cuts != 0 {
		end = min(end, max(k.cutAt-start, 0))
	}
	if k.cutEvery > 0 && k.cuts != 0 {
		end = min(end, k.cutEvery)
	}
	stallAt, stall := k.stallAt, k.stall
	for at := int64(0); at < end; {
		n := min(4096, end-at)
		if stall > 0 && start+at <= stallAt && stallAt < start+at+n {
			n = stallAt - (start + at)
			if n == 0 {
				w.(http.Flusher).Flush()
				h.mu.Lock()
				h.stall = 0 // once
				h.mu.Unlock()
				time.Sleep(stall)
				stall = 0
				if r.Context().Err() != nil { // the client gave up meanwhile
					return
				}
				continue
			}
		}
		if _, err := w.Write(body[at : at+n]); err != nil {
			return
		}
		w.(http.Flusher).Flush()
		h.mu.Lock()
		h.sent += n
		h.mu.Unlock()
		at += n
		time.Sleep(k.slow)
	}
	if end < int64(len(body)) {
		h.take(&h.cuts)
		panic(http.ErrAbortHandler) // the connection breaks mid-body
	}
}
