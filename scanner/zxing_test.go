package scanner

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The ZXing project's black-box photographs and scans. Floors are the
// counts this package reads, less a small margin; gozxing alone (TRY_HARDER,
// the right reader, upright) reads Code 128 48/49, Data Matrix 41/59 and
// QR 158/179 of them.
var zxingFloors = map[string]int{
	"code128-1": 7, "code128-2": 38, "code128-3": 2, // read 7/7, 39/40, 2/2
	"datamatrix-1": 22, "datamatrix-2": 17, "datamatrix-3": 17, // read 23/23, 18/18, 18/18
	"qrcode-1": 19, "qrcode-2": 33, "qrcode-3": 40, // read 20/20, 34/35, 41/42
	"qrcode-4": 41, "qrcode-5": 18, "qrcode-6": 14, // read 43/48, 19/19, 15/15
}

func zxingDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join("..", "..", "shared", "testdata", "barcodes", "zxing")
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("test images missing: %v", err)
		}
		t.Skipf("test images not found at %s: skipping", dir)
	}
	return dir
}

func TestDecodeZXingBlackbox(t *testing.T) {
	t.Parallel()
	dir := zxingDir(t)
	for folder, floor := range zxingFloors {
		t.Run(folder, func(t *testing.T) {
			t.Parallel()
			read, total, misses := decodeFolder(t, filepath.Join(dir, folder))
			t.Logf("%s: read %d/%d (floor %d); missed %v", folder, read, total, floor, misses)
			if read < floor {
				t.Errorf("%s: read %d/%d, below the floor of %d", folder, read, total, floor)
			}
		})
	}
}

// decodeFolder decodes every image in dir that has an expected text and
// counts those read correctly.
func decodeFolder(t *testing.T, dir string) (read, total int, misses []string) {
	t.Helper()
	images, _ := filepath.Glob(filepath.Join(dir, "*.png"))
	jpegs, _ := filepath.Glob(filepath.Join(dir, "*.jpg"))
	for _, img := range append(images, jpegs...) {
		want, ok := expectedText(img)
		if !ok {
			continue
		}
		total++
		if decodesTo(t, img, want) {
			read++
		} else {
			misses = append(misses, filepath.Base(img))
		}
	}
	return read, total, misses
}

func expectedText(img string) (string, bool) {
	base := strings.TrimSuffix(img, filepath.Ext(img))
	if b, err := os.ReadFile(base + ".txt"); err == nil {
		return comparable(string(b)), true
	}
	if b, err := os.ReadFile(base + ".bin"); err == nil {
		return comparable(latin1Fallback(string(b))), true
	}
	return "", false
}

func decodesTo(t *testing.T, path, want string) bool {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	codes, _ := DecodeImage(bytes.NewReader(data))
	for _, c := range codes {
		if comparable(c.Text) == want {
			return true
		}
	}
	return false
}

// comparable drops what ZXing's expected texts leave out: a GS1 AIM prefix
// and GS separators.
func comparable(s string) string {
	if aim, rest := splitAIM(s); aimIsGS1(aim) {
		s = rest
	}
	return strings.ReplaceAll(s, "\x1d", "")
}
