package csvimport

import "maps"

// firstLines remembers the line each key of a file was first accepted on,
// so that a later line with the same key is refused, naming the first.
// Keeping keys unique within a file means a batch never holds the same
// record twice (PostgreSQL refuses an INSERT ... ON CONFLICT that touches
// a row twice), and importing the file again gives the same result. It
// costs memory for every key (BENCHMARKS.md has the figures); string keys
// are copied so that they do not hold their whole line.
type firstLines[K comparable] map[K]int

// sized returns the keys of f in a map with room for n, or f itself when
// it is as large already.
func (f firstLines[K]) sized(n int) firstLines[K] {
	if n <= len(f) {
		return f
	}
	g := make(firstLines[K], n)
	maps.Copy(g, f)
	return g
}

// hospitalKey is a hospital number packed into two words, exactly: six
// bits a character, ten characters a word. A file of a million patients
// then keeps a million keys with no pointer among them for the garbage
// collector to follow, and no copy of each number to allocate.
type hospitalKey [2]uint64

// packHospitalNumber packs a hospital number that has passed
// tracking.ValidateHospitalNumber (at most 20 of A-Z, 0-9, '-' and '/').
// No character packs to 0, so numbers of different lengths differ too.
func packHospitalNumber(s string) hospitalKey {
	var k hospitalKey
	for i := 0; i < len(s) && i < 20; i++ {
		k[i/10] = k[i/10]<<6 | uint64(hospitalCode(s[i]))
	}
	return k
}

func hospitalCode(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return 1 + c - '0'
	case c >= 'A' && c <= 'Z':
		return 11 + c - 'A'
	case c == '-':
		return 37
	}
	return 38 // '/'
}
