package hl7

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// unescape decodes the escape sequences of one piece of text: \F\ \S\ \T\
// \R\ \E\ stand for the delimiters, \Xhh..\ for bytes, \.br\ and \.sp\ for
// line breaks; highlighting, formatting and character set switches are
// dropped. A sequence it does not know, or one never closed, is kept as
// sent so that nothing the sender wrote is lost.
func unescape(s string, d *Delimiters) string {
	e := d.Escape
	if e == 0 || strings.IndexByte(s, e) < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for {
		i := strings.IndexByte(s, e)
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		j := strings.IndexByte(s[i+1:], e)
		if j < 0 {
			b.WriteString(s[i:])
			break
		}
		end := i + 2 + j
		if !decodeEscape(&b, s[i+1:end-1], d) {
			b.WriteString(s[i:end])
		}
		s = s[end:]
	}
	return toUTF8(b.String())
}

// decodeEscape writes what one escape sequence (without its escape
// characters) stands for, and reports whether it knew the sequence.
func decodeEscape(b *strings.Builder, seq string, d *Delimiters) bool {
	switch seq {
	case "F":
		b.WriteByte(orDefault(d.Field, '|'))
	case "S":
		b.WriteByte(orDefault(d.Component, '^'))
	case "T":
		b.WriteByte(orDefault(d.Subcomponent, '&'))
	case "R":
		b.WriteByte(orDefault(d.Repetition, '~'))
	case "E":
		b.WriteByte(orDefault(d.Escape, '\\'))
	case "P": // the truncation character of v2.7
		b.WriteByte('#')
	case ".br":
		b.WriteByte('\n')
	case "H", "N", ".fi", ".nf", ".ce":
	default:
		return decodeEscapeArg(b, seq)
	}
	return true
}

// decodeEscapeArg handles the sequences that carry an argument.
func decodeEscapeArg(b *strings.Builder, seq string) bool {
	switch {
	case len(seq) < 2:
		return false
	case seq[0] == 'X':
		return decodeHex(b, seq[1:])
	case strings.HasPrefix(seq, ".sp"):
		b.WriteByte('\n')
	case strings.HasPrefix(seq, ".in"), strings.HasPrefix(seq, ".ti"), strings.HasPrefix(seq, ".sk"):
	case seq[0] == 'C', seq[0] == 'M', seq[0] == 'Z': // character sets, local escapes
	default:
		return false
	}
	return true
}

func decodeHex(b *strings.Builder, hex string) bool {
	if len(hex)%2 != 0 {
		return false
	}
	for i := 0; i < len(hex); i++ {
		if unhex(hex[i]) < 0 {
			return false
		}
	}
	for i := 0; i < len(hex); i += 2 {
		b.WriteByte(byte(unhex(hex[i])<<4 | unhex(hex[i+1])))
	}
	return true
}

func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

func orDefault(b, def byte) byte {
	if b == 0 {
		return def
	}
	return b
}

// escape writes text into a message built with d: the delimiters become
// their escape sequences and control characters (line ends above all,
// which would end the segment) become \Xhh\.
func escape(s string, d Delimiters) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == d.Escape:
			b.WriteString(seq(d, "E"))
		case c == d.Field:
			b.WriteString(seq(d, "F"))
		case c == d.Component:
			b.WriteString(seq(d, "S"))
		case c == d.Subcomponent:
			b.WriteString(seq(d, "T"))
		case c == d.Repetition:
			b.WriteString(seq(d, "R"))
		case c < ' ' || c == 0x7f:
			b.WriteString(seq(d, string([]byte{'X', hexDigits[c>>4], hexDigits[c&15]})))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

const hexDigits = "0123456789ABCDEF"

// seq writes an escape sequence, or a space where the message declared no
// escape character to write it with.
func seq(d Delimiters, name string) string {
	if d.Escape == 0 {
		return " "
	}
	return string(d.Escape) + name + string(d.Escape)
}

// toUTF8 returns s with every byte that is not part of valid UTF-8 read as
// Windows-1252 (a superset of ISO 8859-1 for printable characters), which
// is what PAS systems that do not send UTF-8 send.
func toUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			r = charmap.Windows1252.DecodeByte(s[i])
		}
		b.WriteRune(r)
		i += n
	}
	return b.String()
}
