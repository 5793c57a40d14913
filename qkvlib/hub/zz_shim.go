package hub

// TEMPORARY shim until the hub-split branch lands (deleted at merge).

import "context"

type MissingError struct{ Err error }

func (e *MissingError) Error() string { return e.Err.Error() }

func Find(name string, choices [][]string, opt Options) (Snapshot, error) {
	opt.Offline = true
	s, err := ResolveAny(context.Background(), name, choices, opt)
	if err != nil && !isLocalPath(name) {
		return s, &MissingError{err}
	}
	return s, err
}
