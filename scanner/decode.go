package scanner

import (
	"context"
	"image"

	"github.com/makiuchi-d/gozxing"
)

// Tuning of the image pipeline.
const (
	// workSide is the longest side of the image the readers see first: big
	// enough for a label across a room-width frame, small enough that a
	// 12-megapixel phone photo costs what a webcam frame does.
	workSide = 1600
	// maxCodes bounds how many codes one frame may yield.
	maxCodes = 8
)

// frame is the image being decoded: full resolution and the working copy.
type frame struct {
	full       *image.Gray
	work       *image.Gray
	workToFull affine
}

func newFrame(full *image.Gray) *frame {
	work := downscale(full, workSide)
	s := float64(full.Rect.Dx()) / float64(work.Rect.Dx())
	return &frame{full: full, work: work, workToFull: scaling(s)}
}

// view is an image derived from a frame for the readers, with the map from
// its coordinates back to the full image. src, when set, stands in for g:
// a source that computes only the rows a reader asks for.
type view struct {
	g      *image.Gray
	toFull affine
	src    gozxing.LuminanceSource
}

func (v view) source() gozxing.LuminanceSource {
	if v.src != nil {
		return v.src
	}
	return newGraySource(v.g)
}

// attempt is one way of looking at a frame: a derived view, a binarizer
// and the readers to run. derive returns false when the view does not
// apply to this frame (no point upscaling a large photo).
type attempt struct {
	derive func(f *frame) (view, bool)
	bin    binarizer
	set    readers
	pure   bool
}

// decodeGray tries the tiers in order, cheapest first, and stops at the
// first attempt that reads anything; it then looks again with what it read
// masked out, to find the other codes in the frame.
func decodeGray(ctx context.Context, full *image.Gray) []Decoded {
	f := newFrame(full)
	for _, tier := range tiers {
		for _, a := range tier {
			if ctx.Err() != nil {
				return nil
			}
			if hits := a.run(f); len(hits) > 0 {
				return ordered(a.more(ctx, f, hits))
			}
		}
	}
	return nil
}

func (a attempt) run(f *frame) []hit { return a.runWith(f, a.set) }

func (a attempt) read(v view, set readers) []hit {
	hits := readSource(v.source(), a.bin, set, a.pure)
	for i := range hits {
		for j, p := range hits[i].points {
			x, y := v.toFull.apply(p[0], p[1])
			hits[i].points[j] = [2]float64{x, y}
		}
	}
	return hits
}

// more masks the codes found so far out of a copy of the frame and runs
// the same attempt again with the readers that found something, until
// nothing new turns up. The QR multi reader has already found every QR
// code, and a pure view holds only one symbol, so neither is run again.
func (a attempt) more(ctx context.Context, f *frame, hits []hit) []hit {
	all := distinct(nil, hits)
	fresh := all
	masked := crop(f.full, f.full.Rect)
	for len(all) < maxCodes && !a.pure && ctx.Err() == nil {
		set := rerunSet(fresh)
		if set == 0 {
			break
		}
		for _, h := range fresh {
			maskHit(masked, h)
		}
		fresh = distinct(all, a.runWith(newFrame(masked), set))
		if len(fresh) == 0 {
			break
		}
		all = append(all, fresh...)
	}
	return all
}

func (a attempt) runWith(f *frame, set readers) []hit {
	v, ok := a.derive(f)
	if !ok {
		return nil
	}
	return a.read(v, set)
}

func rerunSet(hits []hit) readers {
	var set readers
	for _, h := range hits {
		if h.reader != readQR {
			set |= h.reader
		}
	}
	return set
}

// distinct returns the hits whose text and format are not in seen (nor
// earlier in hits).
func distinct(seen, hits []hit) []hit {
	var out []hit
	for _, h := range hits {
		if !containsHit(seen, h) && !containsHit(out, h) {
			out = append(out, h)
		}
	}
	return out
}

func containsHit(hits []hit, h hit) bool {
	for _, o := range hits {
		if o.Decoded == h.Decoded {
			return true
		}
	}
	return false
}
