package main

import (
	"bytes"
	"context"
	"strconv"
	"time"
)

// appendScan appends the n-th scan as the JSON a handheld sends: a volume,
// where it is being booked to, its device time and a scan id of its own.
func appendScan(b []byte, s *seeded, n int64, at time.Time) []byte {
	barcode, location := s.scanAt(n)
	b = append(b, `{"barcode":"`...)
	b = append(b, barcode...)
	b = append(b, `","location":"`...)
	b = append(b, location...)
	b = append(b, `","scan_id":"`...)
	b = append(b, s.run...)
	b = append(b, "-s"...)
	b = strconv.AppendInt(b, n, 10)
	b = append(b, `","scanned_at":"`...)
	b = at.UTC().AppendFormat(b, "2006-01-02T15:04:05.000Z07:00")
	return append(b, `"}`...)
}

// runSingles has clients POST one scan at a time, each waiting for its
// answer before sending the next, until the duration is up.
func runSingles(ctx context.Context, cl *client, s *seeded, clients int, d time.Duration) (result, error) {
	res := timed(clients, d, func(_ int, deadline time.Time) result {
		var r result
		var body []byte
		w := cl.wire()
		defer w.close()
		for time.Now().Before(deadline) && ctx.Err() == nil {
			body = appendScan(body[:0], s, s.next.Add(1)-1, time.Now())
			start := time.Now()
			status, out, err := w.post("/api/v1/scans", body)
			r.latencies = append(r.latencies, time.Since(start))
			if err != nil || status != 200 || !moved(out) {
				r.errors++
				continue
			}
			r.requests++
			r.scans++
		}
		return r
	})
	return res, ctx.Err()
}

// moved reports whether an answer booked the volume somewhere, as every
// scan this generator sends should.
func moved(out []byte) bool {
	return bytes.Contains(out, []byte(`"result":"moved"`)) || bytes.Contains(out, []byte(`"result":"already_here"`))
}

// runBatches has clients POST batches of n scans, as a docked memory
// scanner or a device back online would, until the duration is up.
func runBatches(ctx context.Context, cl *client, s *seeded, n, clients int, d time.Duration) (result, error) {
	res := timed(clients, d, func(_ int, deadline time.Time) result {
		var r result
		var body []byte
		w := cl.wire()
		defer w.close()
		for time.Now().Before(deadline) && ctx.Err() == nil {
			body = appendBatch(body[:0], s, n)
			start := time.Now()
			status, out, err := w.post("/api/v1/scans/batch", body)
			r.latencies = append(r.latencies, time.Since(start))
			bad := bytes.Count(out, []byte(`"result":"error"`)) + bytes.Count(out, []byte(`"result":"recorded_late"`))
			if err != nil || status != 200 || bad > 0 {
				r.errors++
				continue
			}
			r.requests++
			r.scans += n
		}
		return r
	})
	return res, ctx.Err()
}

// appendBatch reserves n consecutive scan numbers, so no two volumes in
// one batch repeat, and appends them as one batch body.
func appendBatch(b []byte, s *seeded, n int) []byte {
	first := s.next.Add(int64(n)) - int64(n)
	now := time.Now()
	b = append(b, `{"device":"load-dock","scans":[`...)
	for i := range int64(n) {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendScan(b, s, first+i, now)
	}
	return append(b, "]}"...)
}
