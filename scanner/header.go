package scanner

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
)

// imageInfo is what an image's header says, read before any pixel is
// decoded, and what decoding it will cost.
type imageInfo struct {
	format        string // "png", "jpeg", "gif", "webp" or "bmp"
	width, height int
	png           pngInfo // for PNG
	// decoder is the memory, in bytes, the format's decoder takes for the
	// pixels before casetrack sees them: nothing much for PNG, which is
	// read a row at a time, the whole image at its own depth for others.
	decoder int64
	// grayView: the decoded image has a grey plane that can be read as it
	// is (JPEG), so shrinking it needs no full-size grey copy.
	grayView bool
}

// readImageInfo reads the header of an image in any format casetrack
// takes. It returns errNotImage wrapped as DecodeImage returns it.
func readImageInfo(data []byte) (imageInfo, error) {
	if bytes.HasPrefix(data, []byte(pngSignature)) {
		p, err := readPNGInfo(data)
		if err != nil {
			return imageInfo{}, notImage(err)
		}
		return imageInfo{format: "png", width: p.width, height: p.height, png: p,
			decoder: int64(2*(1+p.rowBytes(p.width))+3*p.width) + zlibState}, nil
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return imageInfo{}, notImage(err)
	}
	im := imageInfo{format: format, width: cfg.Width, height: cfg.Height}
	if format == "jpeg" {
		im.decoder = jpegMemory(data, cfg)
		im.grayView = cfg.ColorModel == color.YCbCrModel || cfg.ColorModel == color.GrayModel
	} else {
		im.decoder = int64(bytesPerPixel(cfg.ColorModel)) * int64(cfg.Width) * int64(cfg.Height)
	}
	return im, nil
}

// zlibState is about what compress/flate holds while inflating.
const zlibState = 64 << 10

// bytesPerPixel is what the decoders of GIF, WebP and BMP allocate for
// each pixel, at most, by the colour model their header gives: WebP's
// lossless decoder (and the one for a lossy image's alpha) holds two
// 4-byte copies of the pixels.
func bytesPerPixel(m color.Model) int {
	switch m.(type) {
	case color.Palette:
		return 1
	}
	switch m {
	case color.GrayModel:
		return 1
	case color.YCbCrModel:
		return 2 // 1.5 bytes a pixel, in whole macroblocks
	case color.RGBAModel:
		return 4
	}
	return 8
}

// jpegMemory is what image/jpeg allocates for an image: every component
// in whole blocks of 8x8 samples; four bytes more a sample while a
// progressive image's coefficients are gathered; and the RGBA or CMYK
// image that RGB and CMYK ones are converted to.
func jpegMemory(data []byte, cfg image.Config) int64 {
	f, ok := readJPEGFrame(data)
	if !ok {
		// A header image/jpeg reads but this does not: assume the worst.
		return 24 * int64(cfg.Width) * int64(cfg.Height)
	}
	hMax, vMax := 1, 1
	for _, c := range f.sampling {
		hMax, vMax = max(hMax, c[0]), max(vMax, c[1])
	}
	mxx, myy := (f.width+8*hMax-1)/(8*hMax), (f.height+8*vMax-1)/(8*vMax)
	var samples int64
	for _, c := range f.sampling {
		samples += int64(8*c[0]*mxx) * int64(8*c[1]*myy)
	}
	total := samples
	if f.progressive {
		total += 4 * samples
	}
	if cfg.ColorModel == color.RGBAModel || cfg.ColorModel == color.CMYKModel {
		total += 4 * int64(f.width) * int64(f.height)
	}
	return total
}

// jpegFrame is what a JPEG's start-of-frame segment says.
type jpegFrame struct {
	width, height int
	progressive   bool
	sampling      [][2]int // each component's horizontal and vertical factors
}

// readJPEGFrame walks the segments up to the start of frame.
func readJPEGFrame(data []byte) (jpegFrame, bool) {
	if len(data) < 4 || data[0] != 0xff || data[1] != 0xd8 {
		return jpegFrame{}, false
	}
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xff {
			return jpegFrame{}, false
		}
		marker := data[i+1]
		switch {
		case marker == 0xff: // fill byte
			i++
			continue
		case marker == 0x01 || marker >= 0xd0 && marker <= 0xd7:
			i += 2
			continue
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return jpegFrame{}, false
		}
		if marker >= 0xc0 && marker <= 0xc2 {
			return parseJPEGFrame(data[i+4:i+2+n], marker == 0xc2)
		}
		if marker == 0xda { // start of scan before any frame
			return jpegFrame{}, false
		}
		i += 2 + n
	}
	return jpegFrame{}, false
}

func parseJPEGFrame(seg []byte, progressive bool) (jpegFrame, bool) {
	if len(seg) < 6 {
		return jpegFrame{}, false
	}
	f := jpegFrame{height: int(binary.BigEndian.Uint16(seg[1:])), width: int(binary.BigEndian.Uint16(seg[3:])),
		progressive: progressive}
	n := int(seg[5])
	if n < 1 || n > 4 || len(seg) < 6+3*n {
		return jpegFrame{}, false
	}
	for c := range n {
		s := seg[6+3*c+1]
		f.sampling = append(f.sampling, [2]int{max(int(s>>4), 1), max(int(s&0x0f), 1)})
	}
	if n == 1 {
		f.sampling[0] = [2]int{1, 1} // one component is coded in plain 8x8 blocks
	}
	return f, true
}
