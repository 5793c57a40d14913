package hub

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/qkvport/qkv/internal/hfcache"
)

// MissingError is Find's error for a repo whose files are not in the
// HuggingFace cache, not all of them, or not intact: they must be
// downloaded (qkvlib/download does). Its message says what is missing, why
// it was not downloaded and what to do, in one line:
//
//	hub: gpt2-large is not in the HuggingFace cache (/root/.cache/huggingface/hub) and
//	HF_HUB_OFFLINE=1 forbids downloading: run "huggingface-cli download gpt2-large
//	config.json model.safetensors" on a connected machine, copy the cache, or pass a
//	local folder (-model DIR) holding config.json and model.safetensors
type MissingError struct {
	// Name is the repo id as asked: "gpt2-large" or "openai-community/gpt2-large".
	Name string
	// Repo is the id under which the cache holds a partial or damaged
	// snapshot (Name, or its other GPT-2 family name), "" when it holds none.
	Repo string
	// Revision is the revision asked for ("main" when Options.Revision is "").
	Revision string
	// Cache is the HuggingFace cache folder looked in.
	Cache string
	// Choices are the sets of files asked for.
	Choices [][]string
	// Partial lists the files of Choices[0] that a snapshot of Revision
	// lacks when it holds some of them; nil when there is no such snapshot.
	Partial []string
	// Damaged, when not "", is a file of Snapshot, a snapshot that holds a
	// whole set, that fails the cheap checks (see the package doc): Damage
	// says how.
	Damaged  string
	Damage   error
	Snapshot Snapshot
	// Why says why the files were not downloaded: "HF_HUB_OFFLINE=1 forbids
	// downloading", "offline mode forbids downloading" (Options.Offline) or
	// "hub.Find does not download"; a download that failed says its own.
	Why string
	// Err is what made a download fail, nil for Find.
	Err error
}

func (e *MissingError) Unwrap() error { return e.Err }

func (e *MissingError) Error() string {
	if e.Damaged != "" {
		p := e.Snapshot.Path(e.Damaged)
		if blob, err := filepath.EvalSymlinks(p); err == nil {
			p = blob
		}
		return fmt.Sprintf("hub: the cached %s of %s (%s) is damaged: %v, and %s it again: delete it and run again online, or copy the file again",
			e.Damaged, e.Snapshot.Repo, p, e.Damage, e.Why)
	}
	what := e.Name
	cmd := "huggingface-cli download " + e.Name
	if e.Revision != "main" {
		what += " at revision " + e.Revision
		cmd += " --revision " + e.Revision
	}
	cmd += " " + strings.Join(e.Choices[0], " ")
	var status string
	if e.Partial != nil {
		verb := "are"
		if len(e.Partial) == 1 {
			verb = "is"
		}
		status = fmt.Sprintf("is only partly in the HuggingFace cache (%s): %s %s missing", e.Cache, hfcache.AndList(e.Partial), verb)
	} else {
		status = fmt.Sprintf("is not in the HuggingFace cache (%s)", e.Cache)
	}
	holding := make([]string, len(e.Choices))
	for i, c := range e.Choices {
		holding[i] = hfcache.AndList(c)
	}
	advice := fmt.Sprintf("run %q on a connected machine, copy the cache, or pass a local folder (-model DIR) holding %s",
		cmd, strings.Join(holding, ", or "))
	if e.Err != nil {
		return fmt.Sprintf("hub: %s %s and %s (%v): %s", what, status, e.Why, e.Err, advice)
	}
	return fmt.Sprintf("hub: %s %s and %s: %s", what, status, e.Why, advice)
}
