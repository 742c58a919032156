package csvimport

import (
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

// lexed is what the lexer made of one record, for comparing.
type lexed struct {
	line    int
	fields  []string
	problem bool
}

func lexAll(r io.Reader) ([]lexed, error) {
	lx := newLexer(r, text{})
	var rec record
	var out []lexed
	for lx.next(&rec) {
		l := lexed{line: rec.line, problem: rec.problem != ""}
		for i := range rec.fields {
			l.fields = append(l.fields, string(rec.field(i)))
		}
		out = append(out, l)
	}
	return out, lx.err
}

func rec(line int, fields ...string) lexed { return lexed{line: line, fields: fields} }
func bad(line int) lexed                   { return lexed{line: line, problem: true} }

func TestLexer(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", maxRecord+10)
	tests := []struct {
		name, in string
		want     []lexed
	}{
		{"OKEmpty", "", nil},
		{"OKPlainLF", "a,b\nc,d\n", []lexed{rec(1, "a", "b"), rec(2, "c", "d")}},
		{"OKPlainCRLF", "a,b\r\nc,d\r\n", []lexed{rec(1, "a", "b"), rec(2, "c", "d")}},
		{"OKNoFinalLineEnd", "a,b\nc,d", []lexed{rec(1, "a", "b"), rec(2, "c", "d")}},
		{"OKEmptyFields", ",,\n", []lexed{rec(1, "", "", "")}},
		{"OKBlankLineIsOneEmptyField", "a\n\r\nb\n", []lexed{rec(1, "a"), rec(2, ""), rec(3, "b")}},
		{"OKQuotedComma", `"Smith, J",b` + "\n", []lexed{rec(1, "Smith, J", "b")}},
		{"OKDoubledQuote", `"O""Neill",b` + "\r\n", []lexed{rec(1, `O"Neill`, "b")}},
		{"OKQuotedLineEndCountsLines", "\"a\nb\r\nc\",d\ne,f\n", []lexed{rec(1, "a\nb\nc", "d"), rec(4, "e", "f")}},
		{"OKQuoteInsidePlainValueKept", `O"Neill,"x"` + "\n", []lexed{rec(1, `O"Neill`, "x")}},
		{"OKSpacesAroundQuotes", ` "a" , "b" ` + "\n", []lexed{rec(1, "a", "b")}},
		{"OKQuotedEmptyAndLast", `a,""` + "\n" + `"",b`, []lexed{rec(1, "a", ""), rec(2, "", "b")}},
		{"OKQuotedAtEOFWithCR", "\"a\"\r", []lexed{rec(1, "a")}},
		{"OKTrailingCommaAfterQuote", `"a",` + "\n", []lexed{rec(1, "a", "")}},
		{"ErrTextAfterQuoteSkipsOneLine", "\"a\"x,b\nc,d\n", []lexed{bad(1), rec(2, "c", "d")}},
		{"ErrOpenQuoteSkipsOneLine", "\"a,b\nc,d\n", []lexed{bad(1), rec(2, "c", "d")}},
		{"ErrOpenQuoteLastLine", "a,b\n\"c,d", []lexed{rec(1, "a", "b"), bad(2)}},
		{"ErrLongLineSkipped", "a\n" + long + "\nb\n", []lexed{rec(1, "a"), bad(2), rec(3, "b")}},
		{"ErrQuoteOpenTooLong", "\"" + strings.Repeat("x\n", maxRecord) + "\nb\n", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, r := range []io.Reader{strings.NewReader(tc.in), iotest.OneByteReader(strings.NewReader(tc.in))} {
				got, err := lexAll(r)
				if err != nil {
					t.Fatalf("read error %v", err)
				}
				if tc.name == "ErrQuoteOpenTooLong" {
					checkOpenQuoteRecovers(t, got)
					continue
				}
				if !slices.EqualFunc(got, tc.want, equalLexed) {
					t.Errorf("%T: got %.300v, want %.300v", r, got, tc.want)
				}
			}
		})
	}
}

// checkOpenQuoteRecovers checks that a quote never closed costs its line
// and reading carries on with the next.
func checkOpenQuoteRecovers(t *testing.T, got []lexed) {
	t.Helper()
	if len(got) == 0 || !got[0].problem || got[0].line != 1 || got[1].line != 2 {
		t.Fatalf("got %.300v, want a problem on line 1 and line 2 next", got[:min(len(got), 3)])
	}
	last := got[len(got)-1]
	if last.line != maxRecord+2 || !slices.Equal(last.fields, []string{"b"}) {
		t.Errorf("last record %v, want b on line %d", last, maxRecord+2)
	}
}

func equalLexed(a, b lexed) bool {
	return a.line == b.line && a.problem == b.problem && (a.problem || slices.Equal(a.fields, b.fields))
}

// failingReader returns its data, then an error instead of the end.
type failingReader struct{ data string }

func (f *failingReader) Read(p []byte) (int, error) {
	if f.data == "" {
		return 0, errors.New("connection reset")
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

func TestLexerReadErrorDropsTheLineItCut(t *testing.T) {
	t.Parallel()
	got, err := lexAll(&failingReader{"a,b\nc,d\nH9,SMI"})
	if err == nil || err.Error() != "connection reset" {
		t.Fatalf("error %v, want the read error", err)
	}
	if want := []lexed{rec(1, "a", "b"), rec(2, "c", "d")}; !slices.EqualFunc(got, want, equalLexed) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestLexerOffsetReachesTheEnd(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"a,b\nc\n", "a,b\nc", "\"x\ny\",z\n", "\"open\nb\n"} {
		lx := newLexer(iotest.HalfReader(strings.NewReader(in)), text{})
		var r record
		for lx.next(&r) {
		}
		if lx.offset() != int64(len(in)) {
			t.Errorf("%q: offset %d, want %d", in, lx.offset(), len(in))
		}
	}
}
