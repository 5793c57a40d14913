package chapter

import (
	"context"
	"errors"

	"github.com/qkvport/qkv/qkvlib/corpus"
	"github.com/qkvport/qkv/qkvlib/hub"
)

// find returns the local folder or cached snapshot holding one of choices,
// fetching f through opt's Engine first when the cache lacks it.
func find(ctx context.Context, name string, choices [][]string, opt Options, f Fetch) (hub.Snapshot, error) {
	snap, err := hub.Find(name, choices, hub.Options{Offline: opt.Offline})
	if err == nil || !isMissing(err) || opt.Offline || hub.OfflineEnv() {
		return snap, err
	}
	if err := opt.engine().Fetch(ctx, f, opt); err != nil {
		return hub.Snapshot{}, err
	}
	return hub.Find(name, choices, hub.Options{Offline: opt.Offline})
}

// readText reads src from disk: a file, or a URL's cached copy.
func readText(src string) (string, error) { return corpus.ReadText(src, "") }

// isMissing reports whether err says that a cache lacks what was asked for.
func isMissing(err error) bool {
	var m *hub.MissingError
	var t *corpus.NotCachedError
	return errors.As(err, &m) || errors.As(err, &t)
}
