package scanner

import (
	"image"
	"math"
	"sort"
)

// maskHit paints a code that has been read white, so the next pass finds
// the codes beside it instead of the same one again.
func maskHit(g *image.Gray, h hit) {
	switch {
	case h.reader == readCode128 && len(h.points) >= 2:
		maskBars(g, h.points[0], h.points[len(h.points)-1])
	case len(h.points) >= 3:
		maskSymbol(g, h.points, h.reader)
	}
}

// maskBars masks a 1D code read along the line from p to q (the middles of
// its start and stop patterns): the bars run across that line for as far
// as the image along parallel lines still looks like the line read.
func maskBars(g *image.Gray, p, q [2]float64) {
	ux, uy := q[0]-p[0], q[1]-p[1]
	n := math.Hypot(ux, uy)
	if n < 4 {
		return
	}
	ux, uy = ux/n, uy/n
	vx, vy := -uy, ux
	up := barExtent(g, p, q, vx, vy, n)
	down := barExtent(g, p, q, -vx, -vy, n)
	c := [2]float64{(p[0] + q[0]) / 2, (p[1] + q[1]) / 2}
	// Along the code: past the start and stop patterns into the quiet zone.
	along := n/2 + n*0.12 + 6
	// Across: shift the centre so the band covers [-down, up].
	c[0] += vx * (up - down) / 2
	c[1] += vy * (up - down) / 2
	fillRect(g, c, ux, uy, along, (up+down)/2+n*0.03+4)
}

// barExtent walks from the line p-q in direction (vx, vy) and returns how
// far the pattern of dark and light along parallel lines stays the same.
func barExtent(g *image.Gray, p, q [2]float64, vx, vy, length float64) float64 {
	samples := int(math.Min(math.Max(length, 16), 512))
	ref := lineBits(g, p, q, samples)
	step := math.Max(1, length/256)
	k := step
	for ; k < length; k += step {
		dp := [2]float64{p[0] + vx*k, p[1] + vy*k}
		dq := [2]float64{q[0] + vx*k, q[1] + vy*k}
		if mismatch(ref, lineBits(g, dp, dq, samples)) > 0.3 {
			break
		}
	}
	return k
}

// lineBits samples the line p-q and thresholds it at its own mean.
func lineBits(g *image.Gray, p, q [2]float64, n int) []bool {
	vals := make([]int, n)
	sum := 0
	for i := range vals {
		t := (float64(i) + 0.5) / float64(n)
		vals[i] = grayAt(g, p[0]+(q[0]-p[0])*t, p[1]+(q[1]-p[1])*t)
		sum += vals[i]
	}
	bits := make([]bool, n)
	for i, v := range vals {
		bits[i] = v*n < sum
	}
	return bits
}

func mismatch(a, b []bool) float64 {
	d := 0
	for i := range a {
		if a[i] != b[i] {
			d++
		}
	}
	return float64(d) / float64(len(a))
}

func grayAt(g *image.Gray, x, y float64) int {
	ix, iy := int(math.Floor(x)), int(math.Floor(y))
	if ix < 0 || iy < 0 || ix >= g.Rect.Dx() || iy >= g.Rect.Dy() {
		return 0xff
	}
	return int(g.Pix[iy*g.Stride+ix])
}

// fillRect paints white the rectangle centred on c with axis (ux, uy),
// half-length along and half-width across.
func fillRect(g *image.Gray, c [2]float64, ux, uy, along, across float64) {
	r := math.Abs(ux)*along + math.Abs(uy)*across
	s := math.Abs(uy)*along + math.Abs(ux)*across
	box := image.Rect(int(c[0]-r), int(c[1]-s), int(c[0]+r)+1, int(c[1]+s)+1).Intersect(g.Rect)
	for y := box.Min.Y; y < box.Max.Y; y++ {
		row := g.Pix[y*g.Stride:]
		for x := box.Min.X; x < box.Max.X; x++ {
			dx, dy := float64(x)-c[0], float64(y)-c[1]
			if math.Abs(dx*ux+dy*uy) <= along && math.Abs(dy*ux-dx*uy) <= across {
				row[x] = 0xff
			}
		}
	}
}

// maskSymbol masks a 2D symbol from its result points: QR finder pattern
// centres lie well inside the symbol, Data Matrix points on its edges.
func maskSymbol(g *image.Gray, pts [][2]float64, which readers) {
	box := pointBox(completeParallelogram(pts))
	grow := 0.2
	if which == readQR || which == readQRSingle {
		grow = 0.6
	}
	m := int(grow*math.Max(float64(box.Dx()), float64(box.Dy()))) + 6
	box = box.Inset(-m).Intersect(g.Rect)
	for y := box.Min.Y; y < box.Max.Y; y++ {
		row := g.Pix[y*g.Stride:]
		for x := box.Min.X; x < box.Max.X; x++ {
			row[x] = 0xff
		}
	}
}

// completeParallelogram adds the fourth corner to three finder patterns.
func completeParallelogram(pts [][2]float64) [][2]float64 {
	if len(pts) != 3 {
		return pts
	}
	a, b, c := pts[0], pts[1], pts[2]
	return append(pts[:3:3], [2]float64{a[0] + c[0] - b[0], a[1] + c[1] - b[1]})
}

func pointBox(pts [][2]float64) image.Rectangle {
	r := image.Rectangle{Min: image.Pt(math.MaxInt32, math.MaxInt32), Max: image.Pt(math.MinInt32, math.MinInt32)}
	for _, p := range pts {
		x, y := int(math.Floor(p[0])), int(math.Floor(p[1]))
		r.Min.X, r.Min.Y = min(r.Min.X, x), min(r.Min.Y, y)
		r.Max.X, r.Max.Y = max(r.Max.X, x+1), max(r.Max.Y, y+1)
	}
	return r
}

// ordered returns the hits' codes in reading order: rows top to bottom,
// left to right within a row, a row being codes whose centres are closer
// vertically than half the taller one's height.
func ordered(hits []hit) []Decoded {
	boxes := make([]image.Rectangle, len(hits))
	for i, h := range hits {
		boxes[i] = pointBox(h.points)
		if len(h.points) == 2 { // a 1D scan line: assume bars ~30% as tall as wide
			boxes[i] = boxes[i].Inset(-boxes[i].Dx() * 15 / 100)
		}
	}
	idx := make([]int, len(hits))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool { return readsBefore(boxes[idx[i]], boxes[idx[j]]) })
	out := make([]Decoded, len(hits))
	for i, k := range idx {
		out[i] = hits[k].Decoded
	}
	return out
}

func readsBefore(a, b image.Rectangle) bool {
	ay, by := (a.Min.Y+a.Max.Y)/2, (b.Min.Y+b.Max.Y)/2
	tol := max(a.Dy(), b.Dy()) / 2
	if ay-by > tol || by-ay > tol {
		return ay < by
	}
	return a.Min.X < b.Min.X
}
