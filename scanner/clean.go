package scanner

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// groupSeparator is ASCII GS, the GS1 field terminator (also how FNC1 in the
// middle of a symbol is transmitted).
const groupSeparator = '\x1d'

// gsForms are the ways devices and keyboard wedges spell a group separator
// when they cannot type ASCII 29: escaped, bracketed, caret notation and the
// Unicode control picture.
var gsForms = strings.NewReplacer(
	"<GS>", "\x1d", "<gs>", "\x1d",
	"{GS}", "\x1d", "{gs}", "\x1d",
	"[GS]", "\x1d", "[gs]", "\x1d",
	`\x1d`, "\x1d", `\x1D`, "\x1d", `\X1D`, "\x1d",
	`\u001d`, "\x1d", `\u001D`, "\x1d",
	"^]", "\x1d",
	"\u241d", "\x1d", // SYMBOL FOR GROUP SEPARATOR
	"<FNC1>", "\x1d", "<fnc1>", "\x1d",
)

// clean removes what scanners add around a code: invalid UTF-8 (read as
// Latin-1, which is what Code 128 carries), byte order marks and zero-width
// characters, control characters other than GS, and surrounding white space.
// GS in its spelled-out forms becomes a real GS.
func clean(raw string) string {
	s := gsForms.Replace(latin1Fallback(raw))
	s = strings.Map(func(r rune) rune {
		switch {
		case r == groupSeparator:
			return r
		case r == '\t', r == '\r', r == '\n', r == '\v', r == '\f':
			return ' ' // trimmed below when at the ends
		case unicode.IsControl(r), isInvisible(r):
			return -1
		}
		return r
	}, s)
	return strings.TrimFunc(s, unicode.IsSpace)
}

// isInvisible reports format characters that wedges and copy-paste leave in
// text without showing them: BOM, zero-width spaces and joiners, bidi marks.
func isInvisible(r rune) bool {
	return r == '\ufeff' || r == '\ufffe' || unicode.Is(unicode.Cf, r)
}

// latin1Fallback returns s unchanged when it is valid UTF-8 and otherwise
// reads each byte that is not part of a valid sequence as Latin-1, so that
// the result is always valid UTF-8 and no byte a scanner sent is lost.
func latin1Fallback(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			r, n = rune(s[i]), 1
		}
		b.WriteRune(r)
		i += n
	}
	return b.String()
}
