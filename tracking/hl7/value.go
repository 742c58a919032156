package hl7

import "strings"

// level says which piece of a field a Value holds.
type level uint8

const (
	levelField level = iota
	levelRep
	levelComp
	levelSub
)

// Value is one piece of a segment, still as sent: a whole field (every
// repetition of it), one repetition, one component or one subcomponent.
// Asking for a deeper piece of a field reads its first repetition, and of
// a repetition its first component, the way HL7 reads a field sent with
// less structure than its type allows. Pieces are numbered from 1; a piece
// that is not there reads empty.
type Value struct {
	raw   string
	d     *Delimiters // nil for MSH-1 and MSH-2, which are literal
	level level
}

// Rep returns repetition i of a field.
func (v Value) Rep(i int) Value { return v.part(levelRep, i) }

// Component returns component i (of the first repetition of a field).
func (v Value) Component(i int) Value { return v.part(levelComp, i) }

// Sub returns subcomponent i (of the first component of a field or
// repetition).
func (v Value) Sub(i int) Value { return v.part(levelSub, i) }

// Reps returns every repetition of a field, none for an empty one.
func (v Value) Reps() []Value {
	if v.raw == "" {
		return nil
	}
	if v.level != levelField || v.d == nil || v.d.Repetition == 0 {
		return []Value{v.part(levelRep, 1)}
	}
	out := make([]Value, 0, strings.Count(v.raw, string(v.d.Repetition))+1)
	for r := range strings.SplitSeq(v.raw, string(v.d.Repetition)) {
		out = append(out, Value{raw: r, d: v.d, level: levelRep})
	}
	return out
}

// part returns piece i at level to, reading first pieces on the way down.
func (v Value) part(to level, i int) Value {
	for v.level+1 < to {
		v = v.part(v.level+1, 1)
	}
	if v.d == nil || v.level >= to {
		l := max(v.level, to)
		if i == 1 {
			return Value{raw: v.raw, d: v.d, level: l}
		}
		return Value{d: v.d, level: l}
	}
	return Value{raw: nth(v.raw, v.d.separator(to), i), d: v.d, level: to}
}

// separator returns the byte that splits a value into pieces of level l.
func (d *Delimiters) separator(l level) byte {
	switch l {
	case levelRep:
		return d.Repetition
	case levelComp:
		return d.Component
	case levelSub:
		return d.Subcomponent
	}
	return d.Field
}

// nth returns piece i (from 1) of s split on sep, without allocating.
func nth(s string, sep byte, i int) string {
	if i < 1 {
		return ""
	}
	if sep == 0 {
		if i == 1 {
			return s
		}
		return ""
	}
	for ; i > 1; i-- {
		j := strings.IndexByte(s, sep)
		if j < 0 {
			return ""
		}
		s = s[j+1:]
	}
	if j := strings.IndexByte(s, sep); j >= 0 {
		return s[:j]
	}
	return s
}

// Text reads the value as plain text: its first subcomponent (of its first
// component, of its first repetition) with escape sequences decoded. The
// HL7 null "" reads as empty text: use IsNull to tell them apart.
func (v Value) Text() string {
	a := v.part(levelSub, 1)
	if a.d == nil {
		return a.raw
	}
	if a.raw == `""` {
		return ""
	}
	return unescape(a.raw, a.d)
}

// IsNull reports whether the value is the HL7 null "", which asks for a
// stored value to be cleared.
func (v Value) IsNull() bool { return v.raw == `""` }

// IsEmpty reports whether nothing was sent, which leaves a stored value
// as it is.
func (v Value) IsEmpty() bool { return v.raw == "" }

// Raw returns the value exactly as sent, delimiters and escapes included.
func (v Value) Raw() string { return v.raw }
