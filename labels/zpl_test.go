package labels

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestAppendFieldData(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"SMITH, John", "SMITH, John"},
		{"^XZ", "_5EXZ"},
		{"~JR", "_7EJR"},
		{"a_b", "a_5Fb"},
		{"Zoë", "Zo_C3_AB"},
		{"Ó'Neill", "_C3_93'Neill"},
		{"\x00\r\n", "_00_0D_0A"},
		{"", ""},
	} {
		if got := string(appendFieldData(nil, tc.in)); got != tc.want {
			t.Errorf("appendFieldData(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

var fieldData = regexp.MustCompile(`\^FD([^\^]*)\^FS`)

// TestZPLHostileNames checks that nothing in a name changes the shape of
// the ZPL: one ^XA...^XZ per label, no ~ command anywhere, and field data
// that decodes back to the cleaned text.
func TestZPLHostileNames(t *testing.T) {
	t.Parallel()
	var ls []Label
	for _, fx := range fixtures() {
		ls = append(ls, fx.l)
	}
	var buf bytes.Buffer
	if err := WriteZPL(&buf, ls, ZPLOptions{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	formats := strings.SplitAfter(strings.TrimSuffix(out, "\n"), "^XZ\n")
	if len(formats) != len(ls) {
		t.Fatalf("%d labels gave %d formats", len(ls), len(formats))
	}
	for i, f := range formats {
		if !strings.HasPrefix(f, "^XA") || strings.Count(f, "^XA") != 1 || strings.Count(f, "^XZ") != 1 {
			t.Errorf("label %d is not one ^XA...^XZ format: %.80q...", i, f)
		}
	}
	if strings.ContainsAny(out, "~\x00\r") {
		t.Errorf("ZPL holds a ~ command prefix or a control character")
	}
	var texts []string
	for _, m := range fieldData.FindAllStringSubmatch(out, -1) {
		texts = append(texts, unhex(t, m[1]))
	}
	all := strings.Join(texts, "\n")
	for _, want := range []string{"^XZ^XA^FO0,0^FDPWNED~JR_1F, Bobby...", "~JA^XZ"} {
		if !strings.Contains(all, want) {
			t.Errorf("hostile text %q not printed as text; fields:\n%s", want, all)
		}
	}
}

// unhex undoes ^FH_ escapes and checks the result is clean UTF-8.
func unhex(t *testing.T, s string) string {
	t.Helper()
	var b []byte
	for i := 0; i < len(s); i++ {
		if s[i] != '_' {
			b = append(b, s[i])
			continue
		}
		v, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
		if err != nil {
			t.Fatalf("bad escape in %q", s)
		}
		b = append(b, byte(v))
		i += 2
	}
	if !utf8.Valid(b) || bytes.ContainsFunc(b, func(r rune) bool { return r < 0x20 }) {
		t.Errorf("field %q is not clean UTF-8 text", b)
	}
	return string(b)
}

func TestZPLMedia(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		opt  ZPLOptions
		want string
	}{
		{"2x1in203", ZPLOptions{Size: Roll2x1, DPI: DPI203}, "^PW406^LL203"},
		{"4x2in300", ZPLOptions{Size: Roll4x2, DPI: DPI300}, "^PW1200^LL600"},
		{"4x6in203", ZPLOptions{Size: Roll4x6, DPI: DPI203}, "^PW812^LL1218"},
		{"DefaultIs2x1in203", ZPLOptions{}, "^PW406^LL203"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := WriteZPL(&buf, []Label{volumeLabel()}, tc.opt); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(buf.String(), tc.want) {
				t.Errorf("ZPL lacks %s: %.120s", tc.want, buf.String())
			}
		})
	}
}

// TestZPLOffset checks that a printer's calibration moves every field.
func TestZPLOffset(t *testing.T) {
	t.Parallel()
	var plain, moved bytes.Buffer
	l := volumeLabel()
	WriteZPL(&plain, []Label{l}, ZPLOptions{DPI: DPI203})
	if err := WriteZPL(&moved, []Label{l}, ZPLOptions{DPI: DPI203, Offset: Offset{X: 1, Y: -0.5}}); err != nil {
		t.Fatal(err)
	}
	pos := regexp.MustCompile(`\^F[OT](\d+),(\d+)`)
	a, b := pos.FindAllStringSubmatch(plain.String(), -1), pos.FindAllStringSubmatch(moved.String(), -1)
	if len(a) != len(b) || len(a) == 0 {
		t.Fatalf("%d fields, then %d", len(a), len(b))
	}
	for i := range a {
		x0, _ := strconv.Atoi(a[i][1])
		y0, _ := strconv.Atoi(a[i][2])
		x1, _ := strconv.Atoi(b[i][1])
		y1, _ := strconv.Atoi(b[i][2])
		if x1-x0 != 8 || y1-y0 != -4 {
			t.Errorf("field %d moved by %d,%d dots, want 8,-4 (1 mm, -0.5 mm at 8 dots/mm)", i, x1-x0, y1-y0)
		}
	}
}

func TestWriteZPLRejectsBadLabelsBeforeWriting(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	bad := volumeLabel()
	bad.Barcode = "V0001\n"
	if err := WriteZPL(&buf, []Label{volumeLabel(), bad}, ZPLOptions{}); err == nil {
		t.Fatal("a barcode with a newline was accepted")
	}
	if buf.Len() != 0 {
		t.Errorf("wrote %d bytes of a batch that failed", buf.Len())
	}
}
