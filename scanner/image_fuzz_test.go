package scanner

import (
	"bytes"
	"errors"
	"testing"

	"github.com/casetrack/casetrack/tracking"
)

// FuzzDecodeImage checks that no upload, however broken, makes DecodeImage
// panic, and that it answers either codes or one of its errors. Seeds are
// small images so that each run is quick.
func FuzzDecodeImage(f *testing.F) {
	s := newScene(96, 96, 1, false)
	s.place(qrSymbol(f, tracking.LocationBarcode(7), 2), 48, 48, 0, 1)
	f.Add(s.png(f))
	f.Add(s.jpeg(f, 60))
	f.Add(s.png(f)[:200])
	f.Add([]byte("GIF89a\x01\x00\x01\x00"))
	f.Add([]byte("RIFF\x00\x00\x00\x00WEBPVP8 "))
	f.Add([]byte("BM"))
	f.Fuzz(func(t *testing.T, data []byte) {
		codes, err := DecodeImage(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrNotImage) && !errors.Is(err, ErrImageTooLarge) && !errors.Is(err, ErrNoBarcode) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		for _, c := range codes {
			if c.Text == "" || c.Format == "" {
				t.Fatalf("empty code %+v", c)
			}
		}
	})
}
