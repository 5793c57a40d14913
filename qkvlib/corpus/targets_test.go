package corpus

import (
	"reflect"
	"strings"
	"testing"
)

func TestPositionsDropBatch(t *testing.T) {
	const T = 9 // target id
	tests := []struct {
		name    string
		tokens  []int
		context int
		pos     []int   // Positions
		kept    []int   // DropBefore
		batch   [][]int // Batch
	}{
		{
			name:    "at 0, context-1, context and the end",
			tokens:  []int{9, 1, 9, 9, 2, 3, 9},
			context: 3,
			pos:     []int{0, 2, 3, 6},
			kept:    []int{3, 6},
			batch:   [][]int{{9, 1, 9, 9}, {9, 2, 3, 9}},
		},
		{
			name:    "context 1",
			tokens:  []int{5, 9, 9},
			context: 1,
			pos:     []int{1, 2},
			kept:    []int{1, 2},
			batch:   [][]int{{5, 9}, {9, 9}},
		},
		{
			name:    "the whole stream is one row",
			tokens:  []int{1, 2, 3, 4, 9},
			context: 4,
			pos:     []int{4},
			kept:    []int{4},
			batch:   [][]int{{1, 2, 3, 4, 9}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pos := Positions(tt.tokens, T)
			if !reflect.DeepEqual(pos, tt.pos) {
				t.Fatalf("Positions = %v, want %v", pos, tt.pos)
			}
			kept := DropBefore(pos, tt.context)
			if !reflect.DeepEqual(kept, tt.kept) {
				t.Fatalf("DropBefore = %v, want %v", kept, tt.kept)
			}
			if !reflect.DeepEqual(pos, tt.pos) {
				t.Errorf("DropBefore modified its input: %v", pos)
			}
			batch, err := Batch(tt.tokens, kept, tt.context)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(batch, tt.batch) {
				t.Fatalf("Batch = %v, want %v", batch, tt.batch)
			}
			// Rows are copies: changing one changes neither tokens nor the next row.
			before := append([]int(nil), tt.tokens...)
			batch[0] = append(batch[0], -1)
			batch[0][0] = -1
			if !reflect.DeepEqual(tt.tokens, before) || (len(batch) > 1 && batch[1][0] == -1) {
				t.Error("Batch rows alias the tokens or each other")
			}
		})
	}
}

func TestPositionsNone(t *testing.T) {
	if pos := Positions([]int{1, 2, 3}, 9); len(pos) != 0 {
		t.Errorf("Positions = %v, want none", pos)
	}
	if pos := DropBefore([]int{0, 1, 2}, 3); len(pos) != 0 {
		t.Errorf("DropBefore = %v, want none", pos)
	}
}

func TestBatchErrors(t *testing.T) {
	tokens := []int{1, 2, 3, 9, 5}
	tests := []struct {
		name    string
		pos     []int
		context int
		error   string
	}{
		{"context 0", []int{3}, 0, "context 0 must be positive"},
		{"negative context", []int{3}, -2, "must be positive"},
		{"no targets", nil, 2, "no target positions"},
		{"position too early", []int{1, 3}, 2, "drop positions < 2"},
		{"position past the end", []int{5}, 2, "past the end"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Batch(tokens, tt.pos, tt.context)
			if err == nil || !strings.Contains(err.Error(), tt.error) {
				t.Errorf("err = %v, want one containing %q", err, tt.error)
			}
		})
	}
}

func TestTargetID(t *testing.T) {
	// A toy tokenizer: " like" is one token, " Gatsby's" is three.
	vocab := map[string][]int{" like": {588}, " Gatsby's": {402, 338, 82}, "": nil}
	names := map[int]string{402: " Gatsby", 338: "'", 82: "s"}
	encode := func(s string) []int { return vocab[s] }
	decode := func(ids []int) string {
		var b strings.Builder
		for _, id := range ids {
			b.WriteString(names[id])
		}
		return b.String()
	}
	tests := []struct {
		word   string
		decode func([]int) string
		id     int
		error  string
	}{
		{" like", decode, 588, ""},
		{" Gatsby's", decode, -1, `target " Gatsby's" is 3 GPT-2 tokens [" Gatsby" "'" "s"]; pick a word that is one token, e.g. " Gatsby"`},
		{" Gatsby's", nil, -1, `is 3 GPT-2 tokens [402 338 82]`},
		{"", decode, -1, "no tokens"},
	}
	for _, tt := range tests {
		id, err := TargetID(encode, tt.decode, tt.word)
		if tt.error == "" {
			if err != nil || id != tt.id {
				t.Errorf("TargetID(%q) = %d, %v; want %d", tt.word, id, err, tt.id)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.error) || id != -1 {
			t.Errorf("TargetID(%q) = %d, %v; want -1 and an error containing %q", tt.word, id, err, tt.error)
		}
	}
}

func TestCheckContext(t *testing.T) {
	tests := []struct {
		context, nPositions int
		error               string
	}{
		{50, 1024, ""},
		{1023, 1024, ""},
		{1024, 1024, "the maximum context is 1023"},
		{0, 1024, "must be positive"},
	}
	for _, tt := range tests {
		err := CheckContext(tt.context, tt.nPositions)
		if tt.error == "" && err != nil || tt.error != "" && (err == nil || !strings.Contains(err.Error(), tt.error)) {
			t.Errorf("CheckContext(%d, %d) = %v, want %q", tt.context, tt.nPositions, err, tt.error)
		}
	}
}
