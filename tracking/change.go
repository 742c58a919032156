package tracking

// ChangeAction says what a partial update asks of one stored value. A
// PATCH body (a field absent, null or given), a line of an import file
// and a PAS message (a field empty, the HL7 null "", a value) each say
// one of the three, and the same rules then apply to all of them.
type ChangeAction uint8

// The three things a partial update can ask of a stored value.
const (
	KeepValue  ChangeAction = iota // leave what is stored
	ClearValue                     // remove what is stored
	SetValue                       // store Value
)

// Change is one value a partial update may set, clear or leave alone.
type Change[T any] struct {
	Action ChangeAction
	Value  T // when Action is SetValue
}

// SetTo is the change that stores v.
func SetTo[T any](v T) Change[T] { return Change[T]{Action: SetValue, Value: v} }

// Cleared is the change that removes a stored value.
func Cleared[T any]() Change[T] { return Change[T]{Action: ClearValue} }

// applyTo makes the change to a stored value kept as its zero when absent.
func (c Change[T]) applyTo(v *T) {
	switch c.Action {
	case SetValue:
		*v = c.Value
	case ClearValue:
		var zero T
		*v = zero
	}
}

// applyToPtr makes the change to a stored value kept as nil when absent.
func (c Change[T]) applyToPtr(v **T) {
	switch c.Action {
	case SetValue:
		x := c.Value
		*v = &x
	case ClearValue:
		*v = nil
	}
}
