package csvimport

import (
	"bytes"
	"fmt"
	"strings"
)

// header says where each of a kind's columns is in the file's records.
type header struct {
	width   int   // how many fields the header has
	index   []int // for each of the kind's columns, its field
	ignored []string
}

// readHeader takes the first line that is not blank as the header. Names
// are matched ignoring case and surrounding spaces, with a space or a
// hyphen taken for an underscore ("Hospital Number" is hospital_number).
// Every column of the kind must be there (so a misspelt one is never
// silently dropped); others are ignored and listed.
func readHeader(lx *lexer, rec *record, k Kind) (header, error) {
	for lx.next(rec) {
		if rec.problem != "" {
			return header{}, &LineError{Line: rec.line, Message: "The header cannot be read: " + rec.problem}
		}
		if blank(rec) {
			continue
		}
		return mapHeader(lx, rec, k)
	}
	if lx.err != nil {
		return header{}, readError(lx)
	}
	return header{}, &LineError{Line: 1, Message: fmt.Sprintf("The file is empty: it needs a header row: %s.", k.header())}
}

func mapHeader(lx *lexer, rec *record, k Kind) (header, error) {
	cols := k.Columns()
	h := header{width: len(rec.fields), index: make([]int, len(cols))}
	for i := range h.index {
		h.index[i] = -1
	}
	for i := range rec.fields {
		name := columnName(lx, rec.field(i))
		c := indexOf(cols, name)
		switch {
		case c >= 0 && h.index[c] >= 0:
			return header{}, &LineError{Line: rec.line, Field: name, Message: fmt.Sprintf("The header names the column %s twice.", name)}
		case c >= 0:
			h.index[c] = i
		case name != "": // spreadsheets leave unnamed columns
			h.ignored = append(h.ignored, name)
		}
	}
	var missing []string
	for c, i := range h.index {
		if i < 0 {
			missing = append(missing, cols[c])
		}
	}
	if len(missing) > 0 {
		return header{}, missingColumns(rec, k, missing)
	}
	return h, nil
}

func missingColumns(rec *record, k Kind, missing []string) *LineError {
	msg := fmt.Sprintf("The header has no column %s: %s.", strings.Join(missing, ", "), k.header())
	if len(missing) > 1 {
		msg = fmt.Sprintf("The header has no columns %s: %s.", strings.Join(missing, ", "), k.header())
	}
	if len(rec.fields) == 1 && bytes.ContainsAny(rec.field(0), ";\t|") {
		msg += " Columns must be separated by commas."
	}
	return &LineError{Line: rec.line, Field: missing[0], Message: msg}
}

func columnName(lx *lexer, raw []byte) string {
	b, ok := lx.text.appendField(nil, raw)
	if !ok {
		return strings.ToValidUTF8(string(raw), "\uFFFD")
	}
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return '_'
		}
		return r
	}, strings.ToLower(string(b)))
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

// blank reports whether every field of rec is empty or blanks: blank lines,
// and the rows of commas spreadsheets leave, are skipped.
func blank(rec *record) bool {
	for i := range rec.fields {
		if len(trimBlanks(rec.field(i))) > 0 {
			return false
		}
	}
	return true
}
