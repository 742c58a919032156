package scanner

import (
	"bytes"
	"context"
	"fmt"
	"image"
	_ "image/gif"  // photos and frames arrive as JPEG, PNG (png.go),
	_ "image/jpeg" // WebP (Chrome's canvas.toBlob), GIF or BMP
	"io"

	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/webp"

	"github.com/casetrack/casetrack/tracking"
)

// Limits on uploaded images. A 10 MB file covers any phone photo; the pixel
// limit and the decoding budget (budget.go) stop a small file that claims
// to be a huge image (a decompression bomb) before any memory is spent on
// its pixels.
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
	// ErrImageTooLarge: over MaxImageBytes or MaxImagePixels, or needing
	// more memory to decode than the budget allows one image.
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
// the person holding the camera, unreadable. It decodes within the
// process's budget of DecodeMemory (see Decoder.Decode).
func DecodeImageContext(ctx context.Context, r io.Reader) ([]Decoded, error) {
	return processDecoder.Decode(ctx, r)
}

// Decode reads the barcodes in an image as DecodeImageContext does. The
// image's header says what decoding it will cost; an image that alone
// needs more than the budget is refused with ErrImageTooLarge before
// anything is decoded, and one that does not fit beside the decodes in
// progress waits for them, briefly, then gets ErrBusy.
func (d *Decoder) Decode(ctx context.Context, r io.Reader) ([]Decoded, error) {
	data, im, err := readUpload(r)
	if err != nil {
		return nil, err
	}
	k := shrinkFactor(im.width, im.height)
	release, err := d.reserve(ctx, im.memory(len(data), k))
	if err != nil {
		return nil, err
	}
	defer release()
	g, err := im.readGray(ctx, data, k)
	switch {
	case err != nil && ctx.Err() != nil:
		return nil, ErrNoBarcode
	case err != nil:
		return nil, err
	}
	found := decodeGray(ctx, g)
	if len(found) == 0 {
		return nil, ErrNoBarcode
	}
	return found, nil
}

// readUpload reads at most MaxImageBytes and the image's header, checking
// its dimensions before any pixel is decoded.
func readUpload(r io.Reader) ([]byte, imageInfo, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxImageBytes+1))
	if err != nil {
		return nil, imageInfo{}, fmt.Errorf("reading image: %w", err)
	}
	if len(data) > MaxImageBytes {
		return nil, imageInfo{}, ErrImageTooLarge
	}
	im, err := readImageInfo(data)
	switch {
	case err != nil:
		return nil, im, err
	case im.width <= 0 || im.height <= 0:
		return nil, im, ErrNotImage
	case int64(im.width)*int64(im.height) > MaxImagePixels:
		return nil, im, ErrImageTooLarge
	}
	return data, im, nil
}

// readGray decodes the image to grey, each side shrunk by k. PNGs go
// straight to grey a row at a time; other formats through their decoder,
// which reads through ctx so a deadline stops it.
func (im imageInfo) readGray(ctx context.Context, data []byte, k int) (*image.Gray, error) {
	if im.format == "png" {
		g, err := decodePNG(ctx, data, im.png, k)
		if err != nil && ctx.Err() == nil {
			return nil, notImage(err)
		}
		return g, err
	}
	img, err := decodeSafely(ctxReader{ctx, bytes.NewReader(data)})
	if err != nil {
		return nil, err
	}
	if k == 1 {
		return toGray(img), nil
	}
	g := grayPlane(img)
	if g == nil {
		g = toGray(img)
	}
	return resizeBox(g, g.Rect.Dx()/k, g.Rect.Dy()/k), nil
}

// ctxReader stops a decoder reading once ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// decodeSafely decodes an image, turning a panic in an image decoder (they
// meet hostile input here) into ErrNotImage.
func decodeSafely(r io.Reader) (img image.Image, err error) {
	defer func() {
		if recover() != nil {
			img, err = nil, ErrNotImage
		}
	}()
	img, _, err = image.Decode(r)
	if err != nil {
		return nil, notImage(err)
	}
	return img, nil
}

// notImage wraps a decoder's error so that errors.Is(err, ErrNotImage)
// holds and the user sees ErrNotImage's message.
func notImage(cause error) error {
	return &imageError{shown: ErrNotImage, cause: cause}
}

// tooLarge is ErrImageTooLarge with a message of its own.
func tooLarge(message string) error {
	return &imageError{shown: &tracking.Error{Code: ErrImageTooLarge.Code, Field: ErrImageTooLarge.Field, Message: message},
		kind: ErrImageTooLarge}
}

// imageError is one of the package's errors (kind, for errors.Is) with
// the message a person sees (shown) and, for the log, its cause.
type imageError struct {
	shown *tracking.Error
	kind  error
	cause error
}

func (e *imageError) Error() string {
	if e.cause == nil {
		return e.shown.Error()
	}
	return e.shown.Error() + " (" + e.cause.Error() + ")"
}

func (e *imageError) Unwrap() []error {
	errs := []error{e.shown}
	for _, err := range []error{e.kind, e.cause} {
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}
