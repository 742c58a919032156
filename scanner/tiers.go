package scanner

import "image"

// tiers are the ways of looking at a frame, cheapest and likeliest first:
// a tilted 1D label, the commonest failure of a camera scan, is looked for
// before the costlier looks at blur and scale.
// Decoding stops at the first attempt that reads something, so a clear
// webcam frame costs one pass of the three readers, and only a hard photo
// pays for rotations, crops and rescaling.
var tiers = [][]attempt{
	// A label held up to the camera: upright or sideways (Code 128 under
	// TRY_HARDER tries both), any QR or Data Matrix code.
	{{derive: workView, bin: hybrid, set: readFast}},
	// A tilted 1D label: turn the picture under it, in steps the reader's
	// tolerance of a few degrees either way can bridge.
	{
		{derive: tiltedView(15), bin: hybrid, set: readCode128},
		{derive: tiltedView(-15), bin: hybrid, set: readCode128},
		{derive: tiltedView(30), bin: hybrid, set: readCode128},
		{derive: tiltedView(-30), bin: hybrid, set: readCode128},
		{derive: tiltedView(45), bin: hybrid, set: readCode128},
		{derive: tiltedView(-45), bin: hybrid, set: readCode128},
		{derive: tiltedView(60), bin: hybrid, set: readCode128},
		{derive: tiltedView(-60), bin: hybrid, set: readCode128},
		{derive: tiltedView(75), bin: hybrid, set: readCode128},
		{derive: tiltedView(-75), bin: hybrid, set: readCode128},
	},
	// Blur, low contrast, small prints: a global threshold, and the image
	// at other scales.
	{
		{derive: workView, bin: histogram, set: readAll},
		{derive: scaledView(0.5), bin: hybrid, set: readAll},
		{derive: scaledView(0.5), bin: histogram, set: readAll},
		{derive: upscaledView(2), bin: hybrid, set: readAll},
		{derive: paddedView, bin: hybrid, set: read2D},
	},
	// Clutter that fools the 2D detectors: look at parts of the frame,
	// and at it turned half a right angle.
	{
		{derive: rotatedView(45), bin: hybrid, set: read2D},
		{derive: cropView(0.2, 0.2, 0.8, 0.8), bin: hybrid, set: readAll},
		{derive: cropView(0, 0, 0.6, 0.6), bin: hybrid, set: readAll},
		{derive: cropView(0.4, 0, 1, 0.6), bin: hybrid, set: readAll},
		{derive: cropView(0, 0.4, 0.6, 1), bin: hybrid, set: readAll},
		{derive: cropView(0.4, 0.4, 1, 1), bin: hybrid, set: readAll},
	},
	// Light codes on dark, and a symbol that is the whole image.
	{
		{derive: invertedView, bin: hybrid, set: readAll},
		{derive: paddedView, bin: hybrid, set: read2D, pure: true},
	},
	// A marginal 2D symbol (creased, curved, soft): the same frame sampled
	// differently (smoothed, sharpened, turned a few degrees, rescaled)
	// moves module edges against the pixel grid and the thresholds, and
	// one of the looks often reads.
	{
		{derive: filteredView(blur3), bin: histogram, set: read2D},
		{derive: resampledView(1, 5), bin: histogram, set: read2D},
		{derive: resampledView(1, -10), bin: histogram, set: read2D},
		{derive: resampledView(1, 10), bin: histogram, set: read2D},
		{derive: resampledView(0.8, 3), bin: histogram, set: read2D},
		{derive: resampledView(1.25, 9), bin: hybrid, set: read2D},
		{derive: resampledView(1.5, -6), bin: histogram, set: read2D},
		{derive: filteredView(sharpen), bin: histogram, set: read2D},
	},
}

// smallSide is the largest working image the resampling tier looks at: it
// rescues small, marginal symbols, and on a big frame with no code at all
// it would cost more than everything before it.
const smallSide = 1000

func filteredView(filter func(*image.Gray) *image.Gray) func(f *frame) (view, bool) {
	return func(f *frame) (view, bool) {
		if max(f.work.Rect.Dx(), f.work.Rect.Dy()) > smallSide {
			return view{}, false
		}
		return view{g: filter(f.work), toFull: f.workToFull}, true
	}
}

// resampledView rescales the working image by k and turns it by deg.
// Enlarging only applies to images small enough to gain from it.
func resampledView(k, deg float64) func(f *frame) (view, bool) {
	return func(f *frame) (view, bool) {
		g, toWork := f.work, identity
		switch long := float64(max(g.Rect.Dx(), g.Rect.Dy())); {
		case long > smallSide:
			return view{}, false
		case k > 1 && long*k > workSide*0.75:
			return view{}, false
		case k > 1:
			g, toWork = resizeBilinear(g, k), scaling(1/k)
		case k < 1 && long*k < 80:
			return view{}, false
		case k < 1:
			w, h := int(float64(g.Rect.Dx())*k), int(float64(g.Rect.Dy())*k)
			toWork = scaling(float64(g.Rect.Dx()) / float64(w))
			g = resizeBox(g, w, h)
		}
		g, back := rotate(g, deg)
		return view{g: g, toFull: back.then(toWork).then(f.workToFull)}, true
	}
}

func workView(f *frame) (view, bool) { return view{g: f.work, toFull: f.workToFull}, true }

func scaledView(k float64) func(f *frame) (view, bool) {
	return func(f *frame) (view, bool) {
		w, h := f.work.Rect.Dx(), f.work.Rect.Dy()
		nw, nh := int(float64(w)*k), int(float64(h)*k)
		if nw < 80 || nh < 80 {
			return view{}, false
		}
		return view{g: resizeBox(f.work, nw, nh), toFull: scaling(float64(w) / float64(nw)).then(f.workToFull)}, true
	}
}

// upscaledView enlarges small images, whose modules are too few pixels for
// the detectors.
func upscaledView(k int) func(f *frame) (view, bool) {
	return func(f *frame) (view, bool) {
		if max(f.work.Rect.Dx(), f.work.Rect.Dy())*k > workSide {
			return view{}, false
		}
		return view{g: upscale(f.work, k), toFull: scaling(1 / float64(k)).then(f.workToFull)}, true
	}
}

// paddedView adds a white margin, a quiet zone for symbols printed or
// cropped to the edge.
func paddedView(f *frame) (view, bool) {
	m := max(8, max(f.work.Rect.Dx(), f.work.Rect.Dy())/8)
	return view{g: pad(f.work, m), toFull: translation(-float64(m), -float64(m)).then(f.workToFull)}, true
}

// tiltedView turns the working image lazily, for the 1D reader, which
// only samples rows.
func tiltedView(deg float64) func(f *frame) (view, bool) {
	return func(f *frame) (view, bool) {
		src, back := newTiltedSource(f.work, deg)
		return view{src: src, toFull: back.then(f.workToFull)}, true
	}
}

func rotatedView(deg float64) func(f *frame) (view, bool) {
	return func(f *frame) (view, bool) {
		g, back := rotate(f.work, deg)
		return view{g: g, toFull: back.then(f.workToFull)}, true
	}
}

// cropView looks at a part of the frame (fractions of width and height),
// taken from the full-resolution image so a small code in a large photo
// gets more pixels.
func cropView(x0, y0, x1, y1 float64) func(f *frame) (view, bool) {
	return func(f *frame) (view, bool) {
		w, h := float64(f.full.Rect.Dx()), float64(f.full.Rect.Dy())
		r := image.Rect(int(x0*w), int(y0*h), int(x1*w), int(y1*h))
		if r.Dx() < 64 || r.Dy() < 64 {
			return view{}, false
		}
		g := downscale(crop(f.full, r), workSide)
		s := float64(r.Dx()) / float64(g.Rect.Dx())
		return view{g: g, toFull: scaling(s).then(translation(float64(r.Min.X), float64(r.Min.Y)))}, true
	}
}

func invertedView(f *frame) (view, bool) { return view{g: invert(f.work), toFull: f.workToFull}, true }
