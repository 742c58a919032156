package labels

import (
	"strings"
	"sync"
	"unicode"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"golang.org/x/text/unicode/norm"
)

// typeface is one of the embedded Go fonts. The same TrueType data is
// drawn into PNGs and embedded in PDFs, so text is measured once and fits
// in both.
type typeface struct {
	name string // PDF font family
	ttf  []byte
	font *sfnt.Font
	upem float64
	// adv caches advance widths, in font units, for the runes below
	// len(adv): Latin, Latin-1 and Latin Extended cover nearly all names.
	adv []float64
	// present records which runes below len(adv) have a glyph.
	present []bool
}

var (
	regular = &typeface{name: "GoRegular", ttf: goregular.TTF}
	bold    = &typeface{name: "GoBold", ttf: gobold.TTF}
	mono    = &typeface{name: "GoMono", ttf: gomono.TTF}

	typefaces = []*typeface{regular, bold, mono}
	// loadFonts parses the fonts on first use. They are compiled into the
	// binary, so failing to parse them is a build defect, not an input
	// error: it panics.
	loadFonts = sync.OnceFunc(func() {
		for _, tf := range typefaces {
			if err := tf.load(); err != nil {
				panic("labels: embedded font " + tf.name + ": " + err.Error())
			}
		}
	})
)

const advCacheRunes = 0x250

func (tf *typeface) load() error {
	f, err := sfnt.Parse(tf.ttf)
	if err != nil {
		return err
	}
	tf.font = f
	tf.upem = float64(f.UnitsPerEm())
	var buf sfnt.Buffer
	tf.adv = make([]float64, advCacheRunes)
	tf.present = make([]bool, advCacheRunes)
	for r := range rune(advCacheRunes) {
		tf.adv[r] = tf.advance(&buf, r)
		i, err := f.GlyphIndex(&buf, r)
		tf.present[r] = err == nil && i != 0
	}
	return nil
}

// has reports whether the font can draw r. It is safe for concurrent use:
// an sfnt.Buffer is not, so each lookup outside the cache gets its own.
func (tf *typeface) has(r rune) bool {
	if r >= 0 && r < advCacheRunes {
		return tf.present[r]
	}
	i, err := tf.font.GlyphIndex(new(sfnt.Buffer), r)
	return err == nil && i != 0
}

// advance returns the advance width of r in font units.
func (tf *typeface) advance(buf *sfnt.Buffer, r rune) float64 {
	i, err := tf.font.GlyphIndex(buf, r)
	if err != nil || i == 0 {
		return 0
	}
	a, err := tf.font.GlyphAdvance(buf, i, fixed.I(int(tf.upem)), font.HintingNone)
	if err != nil {
		return 0
	}
	return float64(a) / 64
}

// width is the width of s set at size (em, in dots). Glyph widths scale
// linearly with unhinted fonts, so no face per size is needed.
func (tf *typeface) width(s string, size float64) float64 {
	var units float64
	var buf *sfnt.Buffer
	for _, r := range s {
		if r >= 0 && r < advCacheRunes {
			units += tf.adv[r]
			continue
		}
		if buf == nil {
			buf = new(sfnt.Buffer)
		}
		units += tf.advance(buf, r)
	}
	return units * size / tf.upem
}

// ellipsis marks text cut short to fit.
const ellipsis = "\u2026"

// fit returns s and a size at most max at which it fits in width: it
// shrinks the text down to min, then cuts it at min and ends it with an
// ellipsis. Text is never allowed to run off a label.
func (tf *typeface) fit(s string, max, min, width float64) (string, float64) {
	w := tf.width(s, max)
	if w <= width {
		return s, max
	}
	if size := max * width / w; size >= min {
		return s, size
	}
	rs := []rune(s)
	for n := len(rs) - 1; n > 0; n-- {
		t := strings.TrimRightFunc(string(rs[:n]), unicode.IsSpace) + ellipsis
		if tf.width(t, min) <= width {
			return t, min
		}
	}
	return "", min
}

// clean makes text from the database safe to set: it composes accents
// (NFC, so "Zoë" typed as e + combining diaeresis prints as one letter),
// drops control and format characters (which can smuggle printer
// commands or reorder text), folds runs of white space into one space and
// replaces characters the label font cannot draw with '?'.
func clean(s string) string {
	loadFonts()
	s = norm.NFC.String(s)
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r):
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		if !regular.has(r) || !bold.has(r) {
			r = '?'
		}
		b.WriteRune(r)
	}
	return b.String()
}
