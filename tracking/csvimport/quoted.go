package csvimport

import "bytes"

// The problems that make a record with quotes unreadable.
const (
	problemOpenQuote  = "A quoted value is not closed: a quote is missing."
	problemAfterQuote = `Text follows a closing quote: a quote inside a quoted value is written twice ("").`
)

// splitQuoted splits the record at the start of data, which has quotes,
// into fields: their bytes unescaped into *out, their places in *fields.
// It returns how many bytes the record took and how many line ends; n is
// 0 when data ends before the record does and more may come. At the end
// of the stream (atEOF) it always returns a record or a problem.
func splitQuoted(data []byte, atEOF bool, out *[]byte, fields *[]span) (n, lines int, problem string) {
	o, f := (*out)[:0], (*fields)[:0]
	defer func() { *out, *fields = o, f }()
	for i := 0; ; {
		start := len(o)
		j := skipBlanks(data, i)
		var end, more bool
		if j < len(data) && data[j] == '"' {
			var nl int
			o, i, nl, problem = quotedValue(data, j+1, atEOF, o)
			lines += nl
			if problem == "" && i > 0 {
				i, end, more, problem = afterQuote(data, i, atEOF)
			}
			more = more || (problem == "" && i == 0)
		} else {
			o, i, end, more = plainValue(data, i, atEOF, o)
		}
		if problem != "" || more {
			return 0, 0, problem
		}
		f = append(f, span{start, len(o)})
		if end {
			if i > 0 && data[i-1] == '\n' {
				lines++
			}
			return i, lines, ""
		}
	}
}

// quotedValue appends the value whose opening quote is just before
// data[i], with "" read as one quote and CRLF inside it as LF. It returns
// the index after the closing quote, or 0 when more data is needed.
func quotedValue(data []byte, i int, atEOF bool, o []byte) ([]byte, int, int, string) {
	lines := 0
	for {
		k := bytes.IndexByte(data[i:], '"')
		if k < 0 {
			if atEOF {
				return o, 0, 0, problemOpenQuote
			}
			return o, 0, 0, ""
		}
		chunk := data[i : i+k]
		lines += bytes.Count(chunk, []byte{'\n'})
		o = appendLF(o, chunk)
		i += k + 1
		switch {
		case i < len(data) && data[i] == '"':
			o = append(o, '"')
			i++
		case i == len(data) && !atEOF:
			return o, 0, 0, ""
		default:
			return o, i, lines, ""
		}
	}
}

// afterQuote checks what follows a closing quote: blanks, then a comma,
// the end of the line or the end of the file.
func afterQuote(data []byte, i int, atEOF bool) (next int, end, more bool, problem string) {
	i = skipBlanks(data, i)
	switch {
	case i == len(data):
		return i, atEOF, !atEOF, ""
	case data[i] == ',':
		return i + 1, false, false, ""
	case data[i] == '\n':
		return i + 1, true, false, ""
	case data[i] == '\r' && i+1 < len(data) && data[i+1] == '\n':
		return i + 2, true, false, ""
	case data[i] == '\r' && i+1 == len(data):
		return i + 1, atEOF, !atEOF, ""
	}
	return 0, false, false, problemAfterQuote
}

// plainValue appends an unquoted value of a record that has quotes
// elsewhere; a quote inside it is kept as it is.
func plainValue(data []byte, i int, atEOF bool, o []byte) (out []byte, next int, end, more bool) {
	rest := data[i:]
	k := bytes.IndexAny(rest, ",\n")
	if k < 0 {
		if !atEOF {
			return o, 0, false, true
		}
		return append(o, bytes.TrimSuffix(rest, []byte{'\r'})...), len(data), true, false
	}
	if rest[k] == '\n' {
		return append(o, bytes.TrimSuffix(rest[:k], []byte{'\r'})...), i + k + 1, true, false
	}
	return append(o, rest[:k]...), i + k + 1, false, false
}

// appendLF appends b to o with each CRLF written as LF.
func appendLF(o, b []byte) []byte {
	for {
		i := bytes.Index(b, []byte("\r\n"))
		if i < 0 {
			return append(o, b...)
		}
		o = append(o, b[:i]...)
		b = b[i+1:]
	}
}

func skipBlanks(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t') {
		i++
	}
	return i
}
