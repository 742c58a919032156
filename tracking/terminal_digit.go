package tracking

import (
	"cmp"
	"slices"
)

// TerminalDigitKey is a hospital number's place in terminal-digit filing,
// as a string that sorts as the shelves do: its digits (others ignored)
// split into pairs from the right, an odd leading digit paired with 0,
// the last pair first, then the one before it, and so on; a shorter
// number is one with leading zeros. "607458" files as 58, 74, 60.
func TerminalDigitKey(hospitalNumber string) string {
	var digits []byte
	for i := 0; i < len(hospitalNumber); i++ {
		if c := hospitalNumber[i]; c >= '0' && c <= '9' {
			digits = append(digits, c)
		}
	}
	if len(digits)%2 == 1 {
		digits = append([]byte{'0'}, digits...)
	}
	const pairs = 12 // more than a 20-character hospital number can hold
	key := make([]byte, 0, 2*pairs)
	for i := len(digits); i >= 2; i -= 2 {
		key = append(key, digits[i-2], digits[i-1])
	}
	for len(key) < 2*pairs {
		key = append(key, '0', '0')
	}
	return string(key)
}

// shelfPlace is where a volume files on terminal-digit shelves: by the
// key of its hospital number, then the number itself, then the volume.
type shelfPlace struct {
	key, number string
	volume      int
}

func shelfPlaceOf(v *Volume) shelfPlace {
	hn := ""
	if v.Patient != nil {
		hn = v.Patient.HospitalNumber
	}
	return shelfPlace{key: TerminalDigitKey(hn), number: hn, volume: v.Number}
}

func (a shelfPlace) compare(b shelfPlace) int {
	return cmp.Or(cmp.Compare(a.key, b.key), cmp.Compare(a.number, b.number), cmp.Compare(a.volume, b.volume))
}

func shelfPlaces(vs []*Volume) []shelfPlace {
	out := make([]shelfPlace, len(vs))
	for i, v := range vs {
		out[i] = shelfPlaceOf(v)
	}
	return out
}

// SortForShelf puts volumes in the order a person walking terminal-digit
// shelves meets them.
func SortForShelf(vs []*Volume) {
	places := shelfPlaces(vs)
	idx := make([]int, len(vs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return places[a].compare(places[b]) })
	sorted := make([]*Volume, len(vs))
	for i, j := range idx {
		sorted[i] = vs[j]
	}
	copy(vs, sorted)
}

// Misfile is a folder scanned out of terminal-digit sequence along a
// shelf, with the folders scanned just before and after it (nil at the
// ends), so whoever checks knows where to look.
type Misfile struct {
	Volume *Volume `json:"volume"`
	Before *Volume `json:"before"`
	After  *Volume `json:"after"`
}

// ProbableMisfiles finds folders out of sequence among volumes in the
// order a sweep scanned them along terminal-digit shelves: the longest
// run of folders in shelf order (going along the shelf either way) is
// taken as correctly filed, and every other folder is a probable misfile.
// When fewer than three in four folders are in sequence the shelves are
// not filed by terminal digit (free-slot filing), and nothing is flagged.
func ProbableMisfiles(scanned []*Volume) []Misfile {
	places := shelfPlaces(scanned)
	inOrder := longestInOrder(places, shelfPlace.compare)
	backwards := func(a, b shelfPlace) int { return b.compare(a) }
	if back := longestInOrder(places, backwards); len(back) > len(inOrder) {
		inOrder = back
	}
	out := []Misfile{}
	if 4*len(inOrder) < 3*len(scanned) {
		return out
	}
	keep := make(map[int]bool, len(inOrder))
	for _, i := range inOrder {
		keep[i] = true
	}
	for i, v := range scanned {
		if keep[i] {
			continue
		}
		m := Misfile{Volume: v}
		if i > 0 {
			m.Before = scanned[i-1]
		}
		if i+1 < len(scanned) {
			m.After = scanned[i+1]
		}
		out = append(out, m)
	}
	return out
}

// longestInOrder returns the indexes of a longest subsequence of places
// that never goes backwards by compare (patience sorting, O(n log n)).
func longestInOrder(places []shelfPlace, compare func(a, b shelfPlace) int) []int {
	var tails []int // tails[k] ends the best run of length k+1 found so far
	prev := make([]int, len(places))
	for i, p := range places {
		// The first run whose last place comes after p: p ends it instead.
		k, _ := slices.BinarySearchFunc(tails, p, func(t int, p shelfPlace) int {
			if compare(places[t], p) <= 0 {
				return -1
			}
			return 1
		})
		prev[i] = -1
		if k > 0 {
			prev[i] = tails[k-1]
		}
		if k == len(tails) {
			tails = append(tails, i)
		} else {
			tails[k] = i
		}
	}
	out := make([]int, len(tails))
	i := -1
	if len(tails) > 0 {
		i = tails[len(tails)-1]
	}
	for k := len(tails) - 1; k >= 0; k-- {
		out[k] = i
		i = prev[i]
	}
	return out
}
