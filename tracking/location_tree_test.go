package tracking

import (
	"fmt"
	"strings"
	"testing"
)

// treeLocations is a library with two bays (one with shelves), a ward and
// a shelf whose parent is not in the list.
func treeLocations() []*Location {
	return []*Location{
		{ID: 1, Code: "WARD7", Name: "Ward 7", Kind: KindWard},
		{ID: 2, Code: "LIB", Name: "Records Library", Kind: KindLibrary},
		{ID: 3, Code: "BAY-10", Name: "Bay 10", Kind: KindLibrary, ParentID: 2},
		{ID: 4, Code: "BAY-9", Name: "Bay 9", Kind: KindLibrary, ParentID: 2},
		{ID: 5, Code: "SHELF-2", Name: "Shelf 2", Kind: KindLibrary, ParentID: 4},
		{ID: 6, Code: "SHELF-1", Name: "Shelf 1", Kind: KindLibrary, ParentID: 4},
		{ID: 7, Code: "SIDE-ROOM", Name: "Side room", Kind: KindWard, ParentID: 1},
		{ID: 8, Code: "ORPHAN", Name: "Orphan", Kind: KindLibrary, ParentID: 99},
	}
}

// outline writes a tree as "CODE(child child)" for comparing.
func outline(ns []*LocationNode) string {
	var parts []string
	for _, n := range ns {
		s := n.Code
		if len(n.Children) > 0 {
			s += "(" + outline(n.Children) + ")"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func TestLocationTree(t *testing.T) {
	t.Parallel()
	tree := LocationTree(treeLocations())
	tests := []struct {
		name string
		got  []*LocationNode
		want string
	}{
		{"LibrariesFirstCountedCodes", tree, "LIB(BAY-9(SHELF-1 SHELF-2) BAY-10) ORPHAN WARD7(SIDE-ROOM)"},
		{"PruneKeepsParents", PruneTree(tree, LocationFilter{Query: "shelf 2"}.Matches), "LIB(BAY-9(SHELF-2))"},
		{"PruneByKind", PruneTree(tree, LocationFilter{Kind: KindWard}.Matches), "WARD7(SIDE-ROOM)"},
		{"PruneByCodeAnyCase", PruneTree(tree, LocationFilter{Query: "bay-1"}.Matches), "LIB(BAY-10)"},
		{"PruneNothing", PruneTree(tree, LocationFilter{Query: "theatre"}.Matches), ""},
		{"Empty", LocationTree(nil), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := outline(tt.got); got != tt.want {
				t.Errorf("tree = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCompareCodes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		want int
	}{
		{"BAY-9", "BAY-10", -1},
		{"BAY-10", "BAY-9", 1},
		{"BAY-09", "BAY-9", 0},
		{"A", "B", -1},
		{"SHELF", "SHELF-1", -1},
		{"S2-B", "S2-A", 1},
		{"10", "9A", 1},
		{"", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.a+"_"+tt.b, func(t *testing.T) {
			if got := CompareCodes(tt.a, tt.b); got != tt.want {
				t.Errorf("CompareCodes(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

func TestLocationRange(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, from, to, want, err string
	}{
		{"OK", "bay-9", "BAY-10", "BAY-9 BAY-10", ""},
		{"EndsEitherWay", "SHELF-2", "shelf-1", "SHELF-1 SHELF-2", ""},
		{"OneCode", "LIB", "", "LIB", ""},
		{"EndsNeedNotExist", "SHELF-0", "SHELF-1", "SHELF-1", ""},
		{"ErrNoFrom", " ", "BAY-9", "", "first code"},
		{"ErrNothingInRange", "X", "Y", "", "No location has a code from X to Y"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := LocationRange(treeLocations(), tt.from, tt.to)
			var codes []string
			for _, l := range got {
				codes = append(codes, l.Code)
			}
			if strings.Join(codes, " ") != tt.want || (err == nil) != (tt.err == "") ||
				err != nil && !strings.Contains(err.Error(), tt.err) {
				t.Errorf("LocationRange(%q, %q) = %v, %v; want %q, %q", tt.from, tt.to, codes, err, tt.want, tt.err)
			}
			if err != nil && ErrorCode(err) != EINVALID {
				t.Errorf("error code %q, want EINVALID", ErrorCode(err))
			}
		})
	}
}

func TestTallyContents(t *testing.T) {
	t.Parallel()
	ls := treeLocations()
	lib := ls[1]
	tree := []*Location{ls[1], ls[2], ls[3], ls[4], ls[5]}
	tests := []struct {
		name      string
		counts    []VolumeCount
		total     int
		elsewhere int
		tallies   string
	}{
		{"Empty", nil, 0, 0, "LIB:0/0"},
		{"ChildrenAndGrandchildren", []VolumeCount{{2, StatusActive, 2}, {5, StatusActive, 3}, {6, StatusClosed, 1}, {3, StatusTemporary, 1}},
			7, 0, "LIB:2/7 BAY-9:0/4 SHELF-1:1/1 SHELF-2:3/3 BAY-10:1/1"},
		{"EmptyOnesLeftOut", []VolumeCount{{5, StatusArchived, 1}}, 1, 0, "LIB:0/1 BAY-9:0/1 SHELF-2:1/1"},
		{"NotPresentNotCounted", []VolumeCount{{2, StatusMissing, 2}, {2, StatusDestroyed, 1}, {5, StatusAmalgamated, 1}, {2, StatusActive, 1}},
			1, 4, "LIB:1/1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lc := TallyContents(lib, tree, tt.counts)
			var got []string
			for _, ty := range lc.Tallies {
				got = append(got, fmt.Sprintf("%s:%d/%d", ty.Code, ty.Here, ty.Total))
			}
			if lc.Total != tt.total || lc.Elsewhere != tt.elsewhere || strings.Join(got, " ") != tt.tallies {
				t.Errorf("total %d, elsewhere %d, tallies %q; want %d, %d, %q", lc.Total, lc.Elsewhere, got, tt.total, tt.elsewhere, tt.tallies)
			}
		})
	}
}
