package labels

import (
	"bytes"
	"errors"
	"image/png"
	"testing"

	"github.com/casetrack/casetrack/tracking"
)

func TestParseFormat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, dpi, size string
		want            Format
		field           string
	}{
		{"OKDefaults", "", "", Format{Output: PNG}, ""},
		{"OK300By4x2", "300", "4x2", Format{Output: PNG, DPI: 300, Size: Roll4x2}, ""},
		{"OKLargestAllowed", "600", "4X6", Format{Output: PNG, DPI: 600, Size: Roll4x6}, ""},
		{"ErrDPIOverCap", "601", "", Format{}, "dpi"},
		{"ErrDPIHuge", "99999999999999999999", "", Format{}, "dpi"},
		{"ErrDPITooLow", "99", "", Format{}, "dpi"},
		{"ErrDPINegative", "-300", "", Format{}, "dpi"},
		{"ErrDPINotANumber", "300dpi", "", Format{}, "dpi"},
		{"ErrSizeUnknown", "203", "40x40", Format{}, "size"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseFormat(PNG, tc.dpi, tc.size)
			if tc.field == "" {
				if err != nil || got != tc.want {
					t.Errorf("ParseFormat = %+v, %v; want %+v", got, err, tc.want)
				}
				return
			}
			checkFieldError(t, err, tc.field)
		})
	}
}

// Write refuses a preview beyond the limits before drawing it, however
// it is asked for; the largest roll at the finest resolution is drawn.
func TestWritePreviewLimits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		f     Format
		field string
	}{
		{"OK4x6At600", Format{Output: PNG, Size: Roll4x6, DPI: MaxDPI}, ""},
		{"ErrDPI1200", Format{Output: PNG, DPI: 1200}, "dpi"},
		{"ErrSize300mmAt600", Format{Output: PNG, Size: Size{300, 300}, DPI: 600}, "size"},
		{"ErrSize200mmAt450", Format{Output: PNG, Size: Size{200, 150}, DPI: 450}, "size"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var b bytes.Buffer
			err := Write(&b, locationLabel(Code128), tc.f)
			if tc.field != "" {
				checkFieldError(t, err, tc.field)
				if b.Len() != 0 {
					t.Errorf("%d bytes written for a refused preview", b.Len())
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := png.DecodeConfig(&b)
			if err != nil || cfg.Width*cfg.Height > MaxPreviewPixels {
				t.Errorf("preview %dx%d, %v: want within %d pixels", cfg.Width, cfg.Height, err, MaxPreviewPixels)
			}
		})
	}
}

func checkFieldError(t *testing.T, err error, field string) {
	t.Helper()
	var e *tracking.Error
	if !errors.As(err, &e) || e.Code != tracking.EINVALID || e.Field != field || e.Message == "" {
		t.Errorf("error %v, want a 422 naming %q", err, field)
	}
}
