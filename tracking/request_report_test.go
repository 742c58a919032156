package tracking

import (
	"testing"
	"time"
)

// SummariseRequests counts by place: met by the need is on time, after it
// late; open past the need is overdue (and due); cancelled counts for
// neither; the median wait is from asking to meeting.
func TestSummariseRequests(t *testing.T) {
	t.Parallel()
	now := at(24 * 60)
	need := at(120)
	met := func(min int) *time.Time { x := at(min); return &x }
	recs := []RequestRecord{
		{LocationID: 1, Status: RequestFulfilled, CreatedAt: at(0), NeededBy: need, FulfilledAt: met(60)},  // 60 min, on time
		{LocationID: 1, Status: RequestFulfilled, CreatedAt: at(0), NeededBy: need, FulfilledAt: met(120)}, // on the minute: on time
		{LocationID: 1, Status: RequestFulfilled, CreatedAt: at(0), NeededBy: need, FulfilledAt: met(300)}, // late
		{LocationID: 1, Status: RequestOpen, CreatedAt: at(0), NeededBy: need},                             // overdue
		{LocationID: 2, Status: RequestCancelled, CreatedAt: at(0), NeededBy: need},
		{LocationID: 2, Status: RequestOpen, CreatedAt: at(0), NeededBy: at(48 * 60)}, // not due yet
	}
	rows, total := SummariseRequests(recs, now)
	one := rows[1]
	if one.Requested != 4 || one.Fulfilled != 3 || one.OnTime != 2 || one.Late != 1 || one.Overdue != 1 || one.OnTimePercent != 50 ||
		one.MedianMinutes != 120 {
		t.Errorf("place 1: %+v", one)
	}
	two := rows[2]
	if two.Requested != 2 || two.Cancelled != 1 || two.Overdue != 0 || two.OnTimePercent != -1 || two.MedianMinutes != -1 {
		t.Errorf("place 2: %+v", two)
	}
	if total.Requested != 6 || total.OnTime != 2 || total.OnTimePercent != 50 || total.MedianMinutes != 120 {
		t.Errorf("total: %+v", total)
	}
	// An even number of waits takes the middle two's mean.
	_, even := SummariseRequests(recs[:2], now)
	if even.MedianMinutes != 90 || even.OnTimePercent != 100 {
		t.Errorf("two met: %+v", even)
	}
}
