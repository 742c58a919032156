package scanner

import (
	"bytes"
	"testing"

	"github.com/casetrack/casetrack/tracking"
)

// BenchmarkDecodeWebcamFrame is the camera page's common case: a 1280x720
// JPEG frame of a cluttered desk with one upright Code 128 volume label.
// The time covers JPEG decoding as well as reading the barcode.
func BenchmarkDecodeWebcamFrame(b *testing.B) {
	s := newScene(1280, 720, 11, true)
	s.place(code128Symbol(b, tracking.VolumeBarcode(1234), 2), 560, 330, 2, 1)
	benchmarkDecode(b, s.jpeg(b, 85), 1)
}

// BenchmarkDecodeWebcamFramePNG is the same frame sent as a PNG (a
// lossless canvas capture), which casetrack decodes itself, to grey.
func BenchmarkDecodeWebcamFramePNG(b *testing.B) {
	s := newScene(1280, 720, 11, true)
	s.place(code128Symbol(b, tracking.VolumeBarcode(1234), 2), 560, 330, 2, 1)
	benchmarkDecode(b, s.png(b), 1)
}

// BenchmarkDecodeWebcamFrameTilted has the label turned 20 degrees, which
// needs the rotation tier.
func BenchmarkDecodeWebcamFrameTilted(b *testing.B) {
	s := newScene(1280, 720, 12, true)
	s.place(code128Symbol(b, tracking.VolumeBarcode(1234), 2), 640, 360, 20, 1)
	benchmarkDecode(b, s.jpeg(b, 85), 1)
}

// BenchmarkDecodeWebcamFrameEmpty is a frame with no code at all (the
// camera pointed at the label before it is in view): every tier runs.
func BenchmarkDecodeWebcamFrameEmpty(b *testing.B) {
	benchmarkDecode(b, newScene(1280, 720, 13, true).jpeg(b, 85), 0)
}

func benchmarkDecode(b *testing.B, frame []byte, want int) {
	b.Helper()
	b.SetBytes(int64(len(frame)))
	for b.Loop() {
		got, _ := DecodeImage(bytes.NewReader(frame))
		if len(got) != want {
			b.Fatalf("read %d codes, want %d: %v", len(got), want, got)
		}
	}
}
