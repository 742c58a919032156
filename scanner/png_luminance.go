package scanner

import "encoding/binary"

// pngLuminance turns a row of PNG samples into the grey toGray gives for
// the pixels image/png makes of them: luminance (R+2G+B)/4 of 8-bit,
// non-premultiplied colour, blended towards white by its alpha.
type pngLuminance struct {
	info pngInfo
	// lut is the grey of each palette index, and of each grey sample of
	// 8 bits or fewer.
	lut [256]byte
	// key is the colour tRNS makes transparent in a grey or RGB image.
	hasKey bool
	key    [3]uint32
}

func newPNGLuminance(p pngInfo, c pngChunks) pngLuminance {
	l := pngLuminance{info: p}
	if len(c.trns) > 0 && (p.colour == pngGray || p.colour == pngRGB) {
		l.hasKey = true
		for i := range len(c.trns) / 2 {
			l.key[i] = uint32(binary.BigEndian.Uint16(c.trns[2*i:]))
		}
	}
	switch {
	case p.colour == pngPalette:
		l.lut = paletteGrey(c.plte, c.trns)
	case p.colour == pngGray && p.depth <= 8:
		l.lut = greyLevels(p.depth, l.hasKey, l.key[0])
	}
	return l
}

// paletteGrey is the grey of each index. As in image/png, an index past
// the palette is opaque black, and tRNS gives the alpha of the first ones.
func paletteGrey(plte, trns []byte) [256]byte {
	var lut [256]byte
	for i := range lut {
		var r, g, b uint32
		a := uint32(0xff)
		if 3*i < len(plte) {
			r, g, b = uint32(plte[3*i]), uint32(plte[3*i+1]), uint32(plte[3*i+2])
		}
		if i < len(trns) {
			a = uint32(trns[i])
		}
		lut[i] = blendWhite((r+2*g+b)/4, a)
	}
	return lut
}

// greyLevels scales samples of depth bits to 8 bits. Like image/png it
// compares the transparent key's low byte, scaled the same way, with the
// scaled sample.
func greyLevels(depth int, hasKey bool, key uint32) [256]byte {
	var lut [256]byte
	scale := byte(0xff / (1<<depth - 1))
	transparent := byte(key) * scale
	for s := range 1 << depth {
		v := byte(s) * scale
		if hasKey && v == transparent {
			v = 0xff
		}
		lut[s] = v
	}
	return lut
}

// row writes the grey of each pixel of src, a row of samples, into dst.
func (l *pngLuminance) row(dst, src []byte) {
	switch {
	case l.info.colour == pngPalette || l.info.colour == pngGray && l.info.depth <= 8:
		l.indexed(dst, src)
	case l.info.depth == 8:
		l.row8(dst, src)
	default:
		l.row16(dst, src)
	}
}

// indexed looks up samples of 8 bits or fewer, packed from the high bit.
func (l *pngLuminance) indexed(dst, src []byte) {
	d := l.info.depth
	if d == 8 {
		for i := range dst {
			dst[i] = l.lut[src[i]]
		}
		return
	}
	perByte, mask := 8/d, byte(1<<d-1)
	for i := range dst {
		shift := 8 - d*(i%perByte+1)
		dst[i] = l.lut[src[i/perByte]>>shift&mask]
	}
}

func (l *pngLuminance) row8(dst, src []byte) {
	switch l.info.colour {
	case pngRGB:
		for i := range dst {
			r, g, b := uint32(src[3*i]), uint32(src[3*i+1]), uint32(src[3*i+2])
			if l.hasKey && r == l.key[0]&0xff && g == l.key[1]&0xff && b == l.key[2]&0xff {
				dst[i] = 0xff
				continue
			}
			dst[i] = byte((r + 2*g + b) / 4)
		}
	case pngGrayAlpha:
		for i := range dst {
			dst[i] = blendWhite(uint32(src[2*i]), uint32(src[2*i+1]))
		}
	case pngRGBA:
		for i := range dst {
			p := src[4*i : 4*i+4]
			dst[i] = blendWhite((uint32(p[0])+2*uint32(p[1])+uint32(p[2]))/4, uint32(p[3]))
		}
	}
}

func (l *pngLuminance) row16(dst, src []byte) {
	channels := l.info.bitsPerPixel() / 16
	var s [4]uint32
	for i := range dst {
		p := src[2*channels*i:]
		for c := range channels {
			s[c] = uint32(p[2*c])<<8 | uint32(p[2*c+1])
		}
		dst[i] = l.grey16(s)
	}
}

func (l *pngLuminance) grey16(s [4]uint32) byte {
	switch l.info.colour {
	case pngGray:
		if l.hasKey && s[0] == l.key[0] {
			return 0xff
		}
		return byte(s[0] >> 8)
	case pngRGB:
		if l.hasKey && s[0] == l.key[0] && s[1] == l.key[1] && s[2] == l.key[2] {
			return 0xff
		}
		return byte((s[0]>>8 + 2*(s[1]>>8) + s[2]>>8) / 4)
	case pngGrayAlpha:
		return nrgba64Grey(s[0], s[0], s[0], s[1])
	}
	return nrgba64Grey(s[0], s[1], s[2], s[3])
}

// nrgba64Grey is the grey of 16-bit non-premultiplied colour taken to 8
// bits the way color.NRGBAModel takes a color.NRGBA64: premultiplied,
// then divided by alpha again, which rounds.
func nrgba64Grey(r, g, b, a uint32) byte {
	switch a {
	case 0xffff:
		return byte((r>>8 + 2*(g>>8) + b>>8) / 4)
	case 0:
		return 0xff
	}
	r, g, b = r*a/0xffff*0xffff/a, g*a/0xffff*0xffff/a, b*a/0xffff*0xffff/a
	return blendWhite((r>>8+2*(g>>8)+b>>8)/4, a>>8)
}
