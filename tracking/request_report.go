package tracking

import (
	"cmp"
	"context"
	"slices"
	"time"
)

// The request report: how well the library gets notes where they are
// wanted in time, by the place that asked, over a range of days. It shows
// no patient: it counts requests.

// RequestRecord is one request as the report counts it.
type RequestRecord struct {
	LocationID  int64
	Status      RequestStatus
	CreatedAt   time.Time
	NeededBy    time.Time
	FulfilledAt *time.Time
}

// RequestStats are the counts of one place's requests (or of them all).
type RequestStats struct {
	Location *Location `json:"location,omitempty"`
	// Requested counts every request needed in the range; Fulfilled
	// those met, OnTime those met by their need, Late those met after
	// it, Cancelled those cancelled, and Overdue those still open after
	// their need.
	Requested int `json:"requested"`
	Fulfilled int `json:"fulfilled"`
	OnTime    int `json:"on_time"`
	Late      int `json:"late"`
	Cancelled int `json:"cancelled"`
	Overdue   int `json:"overdue"`
	// OnTimePercent is OnTime of those that were due (met, or open past
	// their need), to the nearest whole; -1 when none was due.
	OnTimePercent int `json:"on_time_percent"`
	// MedianMinutes is the median time from asking to meeting, in whole
	// minutes, over the fulfilled ones; -1 when none was.
	MedianMinutes int64 `json:"median_minutes"`
}

// RequestReport is the report for a range of days (From to To, both
// included, by when the notes were needed): one row a place, busiest
// first, and the whole.
type RequestReport struct {
	From  Date            `json:"from"`
	To    Date            `json:"to"`
	Rows  []*RequestStats `json:"rows"`
	Total *RequestStats   `json:"total"`
}

// RequestReportStore reads the requests a report counts.
type RequestReportStore interface {
	// FindRequestRecords returns every request needed from (included)
	// to until (excluded).
	FindRequestRecords(ctx context.Context, from, until time.Time) ([]RequestRecord, error)
}

// MaxReportDays bounds a report's range: a year.
const MaxReportDays = 366

// SummariseRequests counts the records by place at now.
func SummariseRequests(recs []RequestRecord, now time.Time) (rows map[int64]*RequestStats, total *RequestStats) {
	rows = map[int64]*RequestStats{}
	total = &RequestStats{}
	waits := map[int64][]time.Duration{}
	var all []time.Duration
	for _, r := range recs {
		row := rows[r.LocationID]
		if row == nil {
			row = &RequestStats{}
			rows[r.LocationID] = row
		}
		for _, st := range []*RequestStats{row, total} {
			st.Requested++
			switch {
			case r.Status == RequestCancelled:
				st.Cancelled++
			case r.Status == RequestFulfilled && r.FulfilledAt != nil:
				st.Fulfilled++
				if r.FulfilledAt.After(r.NeededBy) {
					st.Late++
				} else {
					st.OnTime++
				}
			case r.Status == RequestOpen && now.After(r.NeededBy):
				st.Overdue++
			}
		}
		if r.Status == RequestFulfilled && r.FulfilledAt != nil {
			w := r.FulfilledAt.Sub(r.CreatedAt)
			waits[r.LocationID] = append(waits[r.LocationID], w)
			all = append(all, w)
		}
	}
	for id, row := range rows {
		row.finish(waits[id])
	}
	total.finish(all)
	return rows, total
}

func (st *RequestStats) finish(waits []time.Duration) {
	st.OnTimePercent, st.MedianMinutes = -1, -1
	if due := st.Fulfilled + st.Overdue; due > 0 {
		st.OnTimePercent = (st.OnTime*100 + due/2) / due
	}
	if len(waits) > 0 {
		slices.Sort(waits)
		m := waits[len(waits)/2]
		if len(waits)%2 == 0 {
			m = (waits[len(waits)/2-1] + m) / 2
		}
		st.MedianMinutes = int64(m / time.Minute)
	}
}

// RequestReport counts the requests needed from one day to another (both
// included, in the service's time zone), by the place that asked.
func (s *Service) RequestReport(ctx context.Context, from, to Date) (*RequestReport, error) {
	switch {
	case to.Before(from.Time):
		return nil, FieldError("to", "The report must end on or after the day it starts.")
	case to.Sub(from.Time) >= MaxReportDays*24*time.Hour:
		return nil, FieldError("to", "A report covers at most %d days.", MaxReportDays)
	}
	z := s.zone()
	start := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, z)
	end := time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, z).AddDate(0, 0, 1)
	recs, err := s.Store.FindRequestRecords(ctx, start, end)
	if err != nil {
		return nil, err
	}
	rows, total := SummariseRequests(recs, s.now())
	out := &RequestReport{From: from, To: to, Total: total, Rows: []*RequestStats{}}
	for id, row := range rows {
		if row.Location, err = s.Store.FindLocationByID(ctx, id); err != nil {
			return nil, err
		}
		out.Rows = append(out.Rows, row)
	}
	slices.SortFunc(out.Rows, func(a, b *RequestStats) int {
		return cmp.Or(cmp.Compare(b.Requested, a.Requested), cmp.Compare(a.Location.Code, b.Location.Code))
	})
	return out, nil
}

// MedianWaitSeconds is MedianMinutes in seconds, for pages that write
// durations from seconds.
func (st *RequestStats) MedianWaitSeconds() int64 { return st.MedianMinutes * 60 }
