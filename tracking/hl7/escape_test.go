package hl7

import "testing"

func TestUnescape(t *testing.T) {
	t.Parallel()
	d := DefaultDelimiters
	tests := []struct{ name, raw, want string }{
		{"Plain", "O'NEILL", "O'NEILL"},
		{"Field", `A\F\B`, "A|B"},
		{"Component", `LE\S\BLANC`, "LE^BLANC"},
		{"Subcomponent", `SMITH\T\JONES`, "SMITH&JONES"},
		{"Repetition", `A\R\B`, "A~B"},
		{"Escape", `C:\E\TEMP`, `C:\TEMP`},
		{"AllTogether", `\F\\S\\T\\R\\E\`, `|^&~\`},
		{"Hex", `\X41\\X4243\`, "ABC"},
		{"HexLowerCase", `\X6162\`, "ab"},
		{"HexUTF8", `\XC3A9\`, "é"},
		{"HexWindows1252", `CAF\XC9\`, "CAFÉ"},
		{"HexOddLengthKept", `\X414\`, `\X414\`},
		{"HexNotHexKept", `\XZZ\`, `\XZZ\`},
		{"LineBreak", `Line one\.br\Line two`, "Line one\nLine two"},
		{"Space", `A\.sp2\B`, "A\nB"},
		{"HighlightDropped", `\H\URGENT\N\ notes`, "URGENT notes"},
		{"FormattingDropped", `\.in+4\\.ti-2\\.ce\text\.fi\\.nf\\.sk3\`, "text"},
		{"CharacterSetDropped", `\C2842\name\C2B42\`, "name"},
		{"LocalDropped", `\Zlocal\x`, "x"},
		{"UnknownKept", `A\Q\B`, `A\Q\B`},
		{"EmptyKept", `A\\B`, `A\\B`},
		{"UnterminatedKept", `A\F`, `A\F`},
		{"LoneEscapeKept", `WINDOWS\`, `WINDOWS\`},
		{"TruncationCharacter", `\P\`, "#"},
	}
	for _, tt := range tests {
		if got := unescape(tt.raw, &d); got != tt.want {
			t.Errorf("%s: unescape(%q) = %q, want %q", tt.name, tt.raw, got, tt.want)
		}
	}
}

func TestUnescapeOwnDelimiters(t *testing.T) {
	t.Parallel()
	d := Delimiters{Field: '#', Component: '$', Repetition: '*', Escape: '!', Subcomponent: '@'}
	if got := unescape(`!F!!S!!T!!R!!E!`, &d); got != "#$@*!" {
		t.Fatalf("got %q", got)
	}
	if got := unescape(`\F\`, &d); got != `\F\` {
		t.Fatalf("backslash is not this message's escape: got %q", got)
	}
}

func TestEscape(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, text, want string }{
		{"Plain", "Unknown clinic CARD9.", "Unknown clinic CARD9."},
		{"Delimiters", `a|b^c&d~e\f`, `a\F\b\S\c\T\d\R\e\E\f`},
		{"LineEnds", "one\r\ntwo", `one\X0D\\X0A\two`},
		{"NonASCIIKept", "Zoë O’Neill", "Zoë O’Neill"},
	}
	for _, tt := range tests {
		got := escape(tt.text, DefaultDelimiters)
		if got != tt.want {
			t.Errorf("%s: escape(%q) = %q, want %q", tt.name, tt.text, got, tt.want)
		}
		d := DefaultDelimiters
		if back := unescape(got, &d); back != tt.text {
			t.Errorf("%s: %q does not read back: %q", tt.name, got, back)
		}
	}
}
