package tracking

import (
	"cmp"
	"slices"
	"strings"
)

// LocationNode is a location in the tree by parent (library > bay >
// shelf), with the locations directly inside it.
type LocationNode struct {
	*Location
	Children []*LocationNode
}

// LocationTree arranges locations by parent. A location whose parent is
// not among them is a root, so a part of the tree still shows. Siblings
// come in the order forms offer kinds (libraries first), then by code as
// people count (SHELF-2 before SHELF-10).
func LocationTree(ls []*Location) []*LocationNode {
	nodes := make(map[int64]*LocationNode, len(ls))
	for _, l := range ls {
		nodes[l.ID] = &LocationNode{Location: l}
	}
	var roots []*LocationNode
	for _, l := range ls {
		if p, ok := nodes[l.ParentID]; ok && l.ParentID != l.ID {
			p.Children = append(p.Children, nodes[l.ID])
		} else {
			roots = append(roots, nodes[l.ID])
		}
	}
	sortNodes(roots)
	return roots
}

func sortNodes(ns []*LocationNode) {
	slices.SortFunc(ns, func(a, b *LocationNode) int {
		return cmp.Or(cmp.Compare(kindOrder(a.Kind), kindOrder(b.Kind)), CompareCodes(a.Code, b.Code))
	})
	for _, n := range ns {
		sortNodes(n.Children)
	}
}

func kindOrder(k LocationKind) int {
	if i := slices.Index(LocationKinds, k); i >= 0 {
		return i
	}
	return len(LocationKinds)
}

// Matches reports whether a location is one the filter asks for: of its
// kind, when one is given, with the query in its code or name in any case.
func (f LocationFilter) Matches(l *Location) bool {
	if f.Kind != "" && l.Kind != f.Kind {
		return false
	}
	q := strings.ToLower(strings.TrimSpace(f.Query))
	return q == "" || strings.Contains(strings.ToLower(l.Code), q) || strings.Contains(strings.ToLower(l.Name), q)
}

// PruneTree keeps the locations that match and the locations they are
// inside, so that every match is shown in its place in the tree.
func PruneTree(roots []*LocationNode, match func(*Location) bool) []*LocationNode {
	var out []*LocationNode
	for _, n := range roots {
		kids := PruneTree(n.Children, match)
		if len(kids) > 0 || match(n.Location) {
			out = append(out, &LocationNode{Location: n.Location, Children: kids})
		}
	}
	return out
}

// CompareCodes orders codes as people count: runs of digits by their
// value, so BAY-9 comes before BAY-10; otherwise as the letters go.
func CompareCodes(a, b string) int {
	for a != "" && b != "" {
		da, db := digitRun(a), digitRun(b)
		if da > 0 && db > 0 {
			na, nb := strings.TrimLeft(a[:da], "0"), strings.TrimLeft(b[:db], "0")
			if c := cmp.Or(cmp.Compare(len(na), len(nb)), strings.Compare(na, nb)); c != 0 {
				return c
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return cmp.Compare(a[0], b[0])
		}
		a, b = a[1:], b[1:]
	}
	return cmp.Compare(len(a), len(b))
}

// digitRun is how many digits s starts with.
func digitRun(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

// LocationRange picks the locations whose codes lie from one code to
// another, both included, in the order CompareCodes counts them: the
// shelves of a bay for one sheet of labels. Either end may be a code no
// location has; the ends may be given in either order.
func LocationRange(ls []*Location, from, to string) ([]*Location, error) {
	from, to = normalizeCode(from), normalizeCode(to)
	if from == "" {
		return nil, FieldError("from", "Give the first code of the range.")
	}
	if to == "" {
		to = from
	}
	if CompareCodes(from, to) > 0 {
		from, to = to, from
	}
	var out []*Location
	for _, l := range ls {
		if CompareCodes(l.Code, from) >= 0 && CompareCodes(l.Code, to) <= 0 {
			out = append(out, l)
		}
	}
	slices.SortFunc(out, func(a, b *Location) int { return CompareCodes(a.Code, b.Code) })
	if len(out) == 0 {
		return nil, FieldError("from", "No location has a code from %s to %s.", from, to)
	}
	return out, nil
}
