package scanner

import (
	"strings"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/datamatrix"
	multiqr "github.com/makiuchi-d/gozxing/multi/qrcode"
	"github.com/makiuchi-d/gozxing/oned"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// readers is a set of gozxing readers to try. gozxing v0.1.1 has no
// multi-format reader, so each symbology casetrack meets is tried in turn,
// cheapest first: Code 128 costs a few milliseconds a frame, 2D detection
// more.
type readers uint8

const (
	readCode128 readers = 1 << iota
	// readQR is the QR multi reader, which finds every QR code in a frame.
	readQR
	// readQRSingle is the single QR reader, run when the multi reader finds
	// nothing: its detector reads a few damaged or distorted codes the
	// other misses, at the cost of a second detection.
	readQRSingle
	readDataMatrix

	read2D  = readQR | readQRSingle | readDataMatrix
	readAll = readCode128 | read2D
	// readFast is the first look at a frame: each symbology once.
	readFast = readCode128 | readQR | readDataMatrix
)

// binarizer picks how grey becomes black and white. The hybrid (local)
// threshold copes with shadows and glare; the global histogram one with
// blur and low contrast, where local thresholds break bars apart.
type binarizer uint8

const (
	hybrid binarizer = iota
	histogram
)

// hit is one symbol gozxing read, with its result points in the
// coordinates of the image it was read from.
type hit struct {
	Decoded
	points [][2]float64
	reader readers
}

// readSource runs the readers over src and returns what they read. pure
// tells the 2D readers that src holds nothing but one symbol.
func readSource(src gozxing.LuminanceSource, bin binarizer, set readers, pure bool) []hit {
	b := gozxing.NewHybridBinarizer(src)
	if bin == histogram {
		b = gozxing.NewGlobalHistgramBinarizer(src)
	}
	bmp, err := gozxing.NewBinaryBitmap(b)
	if err != nil {
		return nil
	}
	var hits []hit
	if set&readCode128 != 0 {
		hits = append(hits, readCode128Bitmap(bmp)...)
	}
	if set&(readQR|readQRSingle) != 0 {
		hits = append(hits, readQRBitmap(bmp, set, pure)...)
	}
	if set&readDataMatrix != 0 {
		hits = append(hits, readOne(datamatrix.NewDataMatrixReader(), bmp, hintsFor(pure, false), readDataMatrix)...)
	}
	return hits
}

func readCode128Bitmap(bmp *gozxing.BinaryBitmap) []hit {
	return readOne(oned.NewCode128Reader(), bmp, hintsFor(false, true), readCode128)
}

// readQRBitmap uses the multi reader and, when it finds nothing and set
// asks for it, the single reader (the only one that reads pure images).
func readQRBitmap(bmp *gozxing.BinaryBitmap, set readers, pure bool) []hit {
	if !pure && set&readQR != 0 {
		var results []*gozxing.Result
		safely(func() {
			results, _ = multiqr.NewQRCodeMultiReader().DecodeMultiple(bmp, hintsFor(false, false))
		})
		if hits := toHits(results, readQR); len(hits) > 0 {
			return hits
		}
	}
	if !pure && set&readQRSingle == 0 {
		return nil
	}
	return readOne(qrcode.NewQRCodeReader(), bmp, hintsFor(pure, false), readQRSingle)
}

func readOne(r gozxing.Reader, bmp *gozxing.BinaryBitmap, hints map[gozxing.DecodeHintType]interface{}, which readers) []hit {
	var res *gozxing.Result
	safely(func() { res, _ = r.Decode(bmp, hints) })
	if res == nil {
		return nil
	}
	return toHits([]*gozxing.Result{res}, which)
}

func hintsFor(pure, gs1 bool) map[gozxing.DecodeHintType]interface{} {
	h := map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_TRY_HARDER: true}
	if pure {
		h[gozxing.DecodeHintType_PURE_BARCODE] = true
	}
	if gs1 {
		h[gozxing.DecodeHintType_ASSUME_GS1] = true
	}
	return h
}

// safely runs f, treating a panic inside gozxing (hostile or odd images
// reach it) as nothing read.
func safely(f func()) {
	defer func() { _ = recover() }()
	f()
}

func toHits(results []*gozxing.Result, which readers) []hit {
	var hits []hit
	for _, r := range results {
		if r == nil || r.GetText() == "" {
			continue
		}
		h := hit{Decoded: Decoded{Text: resultText(r), Format: formatName(r.GetBarcodeFormat())}, reader: which}
		for _, p := range r.GetResultPoints() {
			if p != nil {
				h.points = append(h.points, [2]float64{p.GetX(), p.GetY()})
			}
		}
		hits = append(hits, h)
	}
	return hits
}

// resultText returns the text as a scanner would send it: valid UTF-8, and
// for GS1 symbols prefixed by the AIM identifier that marks them as such.
func resultText(r *gozxing.Result) string {
	text := latin1Fallback(r.GetText())
	sym, _ := r.GetResultMetadata()[gozxing.ResultMetadataType_SYMBOLOGY_IDENTIFIER].(string)
	if aimIsGS1(sym) && !strings.HasPrefix(text, sym) {
		for len(text) > 0 && text[0] == groupSeparator {
			text = text[1:]
		}
		text = sym + text
	}
	return text
}

func formatName(f gozxing.BarcodeFormat) string {
	switch f {
	case gozxing.BarcodeFormat_CODE_128:
		return "code128"
	case gozxing.BarcodeFormat_QR_CODE:
		return "qr"
	case gozxing.BarcodeFormat_DATA_MATRIX:
		return "datamatrix"
	}
	return f.String()
}
