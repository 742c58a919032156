package csvimport

import (
	"bytes"
	"encoding/binary"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// encoding is what a file's bytes beyond ASCII mean.
type encoding int

const (
	undecided encoding = iota // nothing but ASCII seen so far
	utf8Text
	windows1252
)

// text turns a field's raw bytes into the UTF-8 casetrack stores. The
// choice between UTF-8 and Windows-1252 is made for the whole file: a file
// that is not valid UTF-8 is Windows-1252 (what PAS exports and Excel on
// Windows write). A seekable file is read through once to decide; a stream
// decides on the first window of it holding more than ASCII. In a file
// taken as UTF-8 a field that is not valid UTF-8 is still read as
// Windows-1252, as exports joined from two systems have such lines.
type text struct {
	enc encoding
	tmp []byte
}

// unreadable is why a field holding a byte no encoding reads is refused.
const unreadable = "This value has a character that cannot be read: the file is neither UTF-8 nor Windows-1252, or it is damaged."

// sniff decides the encoding from window, the bytes not yet consumed, if
// it holds more than ASCII. A UTF-8 sequence cut at the window's end waits
// for more, unless the stream has ended.
func (t *text) sniff(window []byte, atEOF bool) {
	if t.enc != undecided {
		return
	}
	t.enc, _ = decide(window, atEOF)
}

// decide says what b is: undecided when all ASCII, else UTF-8 or
// Windows-1252. cut is how many bytes at the end form an incomplete UTF-8
// sequence that more data could complete.
func decide(b []byte, atEOF bool) (enc encoding, cut int) {
	i := nonASCII(b)
	if i < 0 {
		return undecided, 0
	}
	b = b[i:]
	if !atEOF {
		cut = incompleteTail(b)
		b = b[:len(b)-cut]
	}
	switch {
	case len(b) == 0:
		return undecided, cut
	case utf8.Valid(b):
		return utf8Text, cut
	}
	return windows1252, cut
}

// incompleteTail is the length of a UTF-8 sequence begun but not finished
// at the end of b.
func incompleteTail(b []byte) int {
	for k := len(b) - 1; k >= 0 && k >= len(b)-utf8.UTFMax; k-- {
		if utf8.RuneStart(b[k]) {
			if !utf8.FullRune(b[k:]) {
				return len(b) - k
			}
			return 0
		}
	}
	return 0
}

// utf8BOM starts files that say they are UTF-8: they are taken at their word.
var utf8BOM = []byte("\xef\xbb\xbf")

// sniffAll reads all of r to decide its encoding.
func sniffAll(r io.Reader) (encoding, error) {
	buf := make([]byte, 64<<10)
	found, carry := undecided, 0
	for first := true; ; first = false {
		n, err := io.ReadFull(r, buf[carry:])
		atEOF := err == io.EOF || err == io.ErrUnexpectedEOF
		if err != nil && !atEOF {
			return undecided, err
		}
		if first && bytes.HasPrefix(buf[:n], utf8BOM) {
			return utf8Text, nil
		}
		enc, cut := decide(buf[:carry+n], atEOF)
		if enc == windows1252 {
			return enc, nil
		}
		if enc == utf8Text {
			found = utf8Text
		}
		if atEOF {
			return found, nil
		}
		carry = copy(buf, buf[carry+n-cut:carry+n])
	}
}

// appendField appends raw as UTF-8 in NFC, trimmed of white space, so a
// name typed on a Mac (decomposed) and one from a PAS (composed) compare
// equal.
func (t *text) appendField(dst, raw []byte) ([]byte, bool) {
	raw = trimBlanks(raw)
	if nonASCII(raw) < 0 {
		return append(dst, raw...), true
	}
	start := len(dst)
	if t.enc == windows1252 || !utf8.Valid(raw) {
		for _, c := range raw {
			dst = utf8.AppendRune(dst, charmap.Windows1252.DecodeByte(c))
		}
	} else {
		dst = append(dst, raw...)
	}
	if bytes.ContainsRune(dst[start:], utf8.RuneError) {
		return dst[:start], false
	}
	t.tmp = append(t.tmp[:0], bytes.TrimSpace(dst[start:])...)
	if norm.NFC.IsNormal(t.tmp) {
		return append(dst[:start], t.tmp...), true
	}
	return norm.NFC.Append(dst[:start], t.tmp...), true
}

// nonASCII is the index of the first byte of b beyond ASCII, or -1. Eight
// bytes are looked at a time: nearly every field is ASCII.
func nonASCII(b []byte) int {
	i := 0
	for ; i+8 <= len(b); i += 8 {
		if binary.LittleEndian.Uint64(b[i:])&0x8080808080808080 != 0 {
			break
		}
	}
	for ; i < len(b); i++ {
		if b[i] >= 0x80 {
			return i
		}
	}
	return -1
}

// trimBlanks drops the spaces and tabs around a value.
func trimBlanks(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}
