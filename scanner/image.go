package scanner

import (
	"bytes"
	"context"
	"fmt"
	"image"
	_ "image/gif"  // photos and frames arrive as JPEG, PNG,
	_ "image/jpeg" // WebP (Chrome's canvas.toBlob), GIF or BMP
	_ "image/png"
	"io"

	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/webp"

	"github.com/casetrack/casetrack/tracking"
)

// Limits on uploaded images. A 10 MB file covers any phone photo; the pixel
// limit stops a small file that claims to be a huge image (a decompression
// bomb) before any memory is spent on its pixels.
const (
	MaxImageBytes  = 10 << 20
	MaxImagePixels = 40_000_000
)

// Errors DecodeImage returns. All are *tracking.Error values with code
// EINVALID, so a caller that knows nothing of them still answers 422 with a
// message a person can act on; the web layer tells them apart with
// errors.Is to answer 415 for ErrNotImage and 413 for ErrImageTooLarge.
var (
	// ErrNotImage: the upload is not an image in a format casetrack reads
	// (bad magic, or a file that fails to decode, e.g. a truncated PNG).
	ErrNotImage = &tracking.Error{Code: tracking.EINVALID, Field: "image",
		Message: "The upload is not an image casetrack can read: send a JPEG, PNG or WebP photo."}
	// ErrImageTooLarge: over MaxImageBytes, or over MaxImagePixels once decoded.
	ErrImageTooLarge = &tracking.Error{Code: tracking.EINVALID, Field: "image",
		Message: "The image is too large: send a photo under 10 MB and 40 megapixels."}
	// ErrNoBarcode: a good image in which no barcode could be read.
	ErrNoBarcode = &tracking.Error{Code: tracking.EINVALID, Field: "image",
		Message: "No barcode could be read: hold the label flat, fill the frame, avoid glare."}
)

// Decoded is one barcode read from an image. Text is what the symbol holds,
// as a scanner would send it: GS1 symbols start with their AIM identifier
// ("]C1", "]d2", "]Q3") and keep GS separators, so Parse reads them as GS1;
// other text is plain (Latin-1 from Code 128 is turned into UTF-8).
type Decoded struct {
	Text string `json:"text"`
	// Format is the symbology: "code128", "qr" or "datamatrix".
	Format string `json:"format"`
}

// DecodeImage reads every barcode it can find in a photo or webcam frame,
// in reading order (top left first), each distinct text once. See
// DecodeImageContext.
func DecodeImage(r io.Reader) ([]Decoded, error) {
	return DecodeImageContext(context.Background(), r)
}

// DecodeImageContext is DecodeImage with a deadline: between attempts it
// gives up when ctx is done, returning what it found so far, or ErrNoBarcode
// when that is nothing, since a frame that cannot be read in time is, for
// the person holding the camera, unreadable.
func DecodeImageContext(ctx context.Context, r io.Reader) ([]Decoded, error) {
	img, err := readImage(r)
	if err != nil {
		return nil, err
	}
	found := decodeGray(ctx, toGray(img))
	if len(found) == 0 {
		return nil, ErrNoBarcode
	}
	return found, nil
}

// readImage reads at most MaxImageBytes and decodes them, checking the
// dimensions in the header before decoding any pixels.
func readImage(r io.Reader) (image.Image, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxImageBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading image: %w", err)
	}
	if len(data) > MaxImageBytes {
		return nil, ErrImageTooLarge
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, notImage(err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, ErrNotImage
	}
	if int64(cfg.Width)*int64(cfg.Height) > MaxImagePixels {
		return nil, ErrImageTooLarge
	}
	return decodeSafely(data)
}

// decodeSafely decodes data, turning a panic in an image decoder (they meet
// hostile input here) into ErrNotImage.
func decodeSafely(data []byte) (img image.Image, err error) {
	defer func() {
		if recover() != nil {
			img, err = nil, ErrNotImage
		}
	}()
	img, _, err = image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, notImage(err)
	}
	return img, nil
}

// notImage wraps a decoder's error so that errors.Is(err, ErrNotImage)
// holds and the user sees ErrNotImage's message.
func notImage(cause error) error {
	return &notImageError{cause}
}

type notImageError struct{ cause error }

func (e *notImageError) Error() string   { return ErrNotImage.Error() + " (" + e.cause.Error() + ")" }
func (e *notImageError) Unwrap() []error { return []error{ErrNotImage, e.cause} }
