package scanner

import (
	"context"
	"fmt"
	"runtime/debug"
	"time"

	"golang.org/x/sync/semaphore"

	"github.com/casetrack/casetrack/tracking"
)

// Memory limits of image decoding. A photo's cost is known from its
// header before any pixel is decoded (imageInfo.memory), so a server
// taking many photos at once holds at most DecodeMemory for them, and a
// small file that claims a huge image costs nothing.
const (
	// DecodeMemory is what the decodes in progress in one process may
	// hold together; an image that alone needs more is refused.
	DecodeMemory = 96 << 20
	// queueWait is the longest a decode waits for its share of the budget
	// (less when its context ends sooner, as a camera frame's does).
	queueWait = 2 * time.Second
	// returnAfter: a decode that held this much hands the memory back to
	// the operating system when it ends, rather than leaving it to the
	// next garbage collection and the runtime's slow scavenger.
	returnAfter = 24 << 20
	// maxGrayPixels is the largest grey image the readers are given: a
	// bigger image is shrunk by a whole factor as it is decoded. Readers
	// see at most workSide pixels across the frame, or across a crop of
	// 60% of it, so they lose nothing a 4000 x 4000 image would show them.
	maxGrayPixels = 16_000_000
)

// ErrBusy: the decoding budget is taken by other images and did not free
// up in time. The web layer answers 503 with Retry-After.
var ErrBusy = &tracking.Error{Code: tracking.EINVALID, Field: "image",
	Message: "Too many images are being read at once: send it again in a moment."}

// Decoder reads barcodes from images within a memory budget that all its
// decodes in progress share.
type Decoder struct {
	memory int64
	sem    *semaphore.Weighted
}

// NewDecoder returns a Decoder whose decodes together hold at most memory
// bytes.
func NewDecoder(memory int64) *Decoder {
	return &Decoder{memory: memory, sem: semaphore.NewWeighted(memory)}
}

// processDecoder is the budget of DecodeImage and DecodeImageContext: the
// memory it guards is the process's, so every caller shares it.
var processDecoder = NewDecoder(DecodeMemory)

// reserve waits for n bytes of the budget and returns the function that
// gives them back.
func (d *Decoder) reserve(ctx context.Context, n int64) (func(), error) {
	if n > d.memory {
		return nil, tooLarge(fmt.Sprintf("The image would need %d MB of memory to decode, more than casetrack gives "+
			"one image (%d MB): send a smaller photo, or a JPEG that is not progressive.", n>>20, d.memory>>20))
	}
	wait, cancel := context.WithTimeout(ctx, queueWait)
	defer cancel()
	if err := d.sem.Acquire(wait, n); err != nil {
		return nil, ErrBusy
	}
	return func() {
		d.sem.Release(n)
		if n >= returnAfter {
			debug.FreeOSMemory()
		}
	}, nil
}

// shrinkFactor is the whole factor that brings a w x h image within
// maxGrayPixels.
func shrinkFactor(w, h int) int {
	k := 1
	for int64(w/k)*int64(h/k) > maxGrayPixels && k < min(w, h, maxShrink) {
		k++
	}
	return k
}

// memory estimates the most a decode of the image holds at once, shrunk
// by k: the upload; the decoder's pixels; the grey image twice (a copy is
// masked when a code is found), with a full-size grey copy first when an
// image without a grey plane is shrunk; the readers' working images (the
// working copy, turned, cropped, padded, binarized: six of it at most).
func (im imageInfo) memory(upload, k int) int64 {
	grey := int64(im.width/k) * int64(im.height/k)
	work := grey
	if long := int64(max(im.width, im.height) / k); long > workSide {
		work = grey * workSide * workSide / (long * long)
	}
	m := int64(upload) + im.decoder + 2*grey + 6*work
	switch {
	case k > 1 && im.format == "png" && im.png.interlaced:
		m += 2 * grey // the sums of the whole image, as its passes arrive
	case k > 1 && im.format != "png" && !im.grayView:
		m += int64(im.width) * int64(im.height)
	}
	return m
}
