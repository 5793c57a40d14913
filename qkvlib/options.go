package qkvlib

import "github.com/qkvport/qkv/qkvlib/chapter"

// Options are the chapter's inputs and the plumbing around them (see
// chapter.Options).
type Options = chapter.Options

// Activations are a batch's stored c_attn outputs (see chapter.Activations).
type Activations = chapter.Activations

// The book's inputs.
const (
	BookModel     = chapter.BookModel
	BookTokenizer = chapter.BookTokenizer
	BookText      = chapter.BookText
	BookTarget    = chapter.BookTarget
	BookContext   = chapter.BookContext
	BookLayer     = chapter.BookLayer
)

// DefaultBatchSize is the most sequences a forward chunk holds unless
// Options.BatchSize says otherwise (see chapter.DefaultBatchSize).
const DefaultBatchSize = chapter.DefaultBatchSize

// BookOptions returns the book's settings.
func BookOptions() Options { return chapter.BookOptions() }

// OptionsFromEnv returns BookOptions overridden by the environment (see
// chapter.OptionsFromEnv).
func OptionsFromEnv() Options { return chapter.OptionsFromEnv() }
