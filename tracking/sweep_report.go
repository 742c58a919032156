package tracking

import "time"

// The outcomes of a volume in a finished sweep.
const (
	OutcomeSeen      = "seen"      // seen where it was recorded
	OutcomeCorrected = "corrected" // seen, but recorded elsewhere: booked here by the sweep
	OutcomeNotSeen   = "not_seen"  // recorded here, and neither seen nor moved during the sweep
)

// SweepSighting is a volume a sweep's scan booked to (or kept in) the
// swept location, in scan order; WasAt is where it was recorded before,
// when the scan corrected that (0 otherwise), and Device what scanned it.
type SweepSighting struct {
	VolumeID int64
	WasAt    int64
	Device   string
}

// RecordedVolume is a volume recorded inside the swept location when the
// sweep finishes: since when, and its latest scan (zero when never).
type RecordedVolume struct {
	VolumeID   int64
	Since      time.Time
	LastScanAt time.Time
}

// SweepResult is one volume's outcome in a finished sweep, in report
// order (Seq), with the device that first saw it.
type SweepResult struct {
	Seq      int
	VolumeID int64
	Outcome  string
	WasAt    int64
	Device   string
}

// ReconcileSweep decides each volume's outcome when a sweep started at
// started finishes: every volume sighted is seen, in the order first
// sighted, corrected if any sighting booked it from elsewhere; a volume
// recorded inside the location that nobody sighted is not seen if it was
// there when the sweep started and has not been scanned since (a folder
// that arrived, or was moved, during the sweep was not missed by it).
func ReconcileSweep(started time.Time, sightings []SweepSighting, recorded []RecordedVolume) []SweepResult {
	var out []SweepResult
	at := map[int64]int{} // volume id -> index in out
	for _, s := range sightings {
		i, ok := at[s.VolumeID]
		if !ok {
			i = len(out)
			at[s.VolumeID] = i
			out = append(out, SweepResult{Seq: i + 1, VolumeID: s.VolumeID, Outcome: OutcomeSeen, Device: s.Device})
		}
		if s.WasAt != 0 && out[i].Outcome == OutcomeSeen {
			out[i].Outcome, out[i].WasAt = OutcomeCorrected, s.WasAt
		}
	}
	for _, r := range recorded {
		if _, seen := at[r.VolumeID]; seen || r.Since.After(started) || r.LastScanAt.After(started) {
			continue
		}
		at[r.VolumeID] = len(out)
		out = append(out, SweepResult{Seq: len(out) + 1, VolumeID: r.VolumeID, Outcome: OutcomeNotSeen})
	}
	return out
}

// SweepEntry is one volume of a finished sweep as the store reads it
// back: the volume (with its patient and where it is now), its outcome,
// where it was recorded before the sweep corrected it, and the device
// that first saw it.
type SweepEntry struct {
	Volume  *Volume
	Outcome string
	WasAt   *Location
	Device  string
}

// SweepResults is a finished sweep's kept outcome: its entries in report
// order and the raw text of its scans that named nothing.
type SweepResults struct {
	Sweep   *Sweep
	Entries []SweepEntry
	Unknown []string
}

// SweepReport is the report of a finished sweep. Seen includes the
// corrected volumes; Misfiles are probable misfiles along a shelf filed
// by terminal digit (see ProbableMisfiles), for a library location, each
// device's walk along the shelves taken on its own.
type SweepReport struct {
	*Sweep
	Seen      []*Volume    `json:"seen"`
	Corrected []Correction `json:"corrected"`
	NotSeen   []*Volume    `json:"not_seen"`
	Unknown   []string     `json:"unknown"`
	Misfiles  []Misfile    `json:"misfiles"`
}

// Correction is a volume a sweep found recorded elsewhere, and where.
type Correction struct {
	Volume *Volume   `json:"volume"`
	WasAt  *Location `json:"was_at"`
}

// BuildSweepReport arranges a finished sweep's entries into its report.
func BuildSweepReport(res *SweepResults) *SweepReport {
	rep := &SweepReport{Sweep: res.Sweep, Seen: []*Volume{}, Corrected: []Correction{}, NotSeen: []*Volume{},
		Unknown: res.Unknown, Misfiles: []Misfile{}}
	if rep.Unknown == nil {
		rep.Unknown = []string{}
	}
	walks := map[string][]*Volume{} // what each device saw, in order
	var devices []string
	for _, e := range res.Entries {
		if e.Outcome == OutcomeNotSeen {
			rep.NotSeen = append(rep.NotSeen, e.Volume)
			continue
		}
		if e.Outcome == OutcomeCorrected {
			rep.Corrected = append(rep.Corrected, Correction{Volume: e.Volume, WasAt: e.WasAt})
		}
		rep.Seen = append(rep.Seen, e.Volume)
		if walks[e.Device] == nil {
			devices = append(devices, e.Device)
		}
		walks[e.Device] = append(walks[e.Device], e.Volume)
	}
	SortForShelf(rep.NotSeen)
	if res.Sweep.Location != nil && res.Sweep.Location.Kind == KindLibrary {
		for _, d := range devices {
			rep.Misfiles = append(rep.Misfiles, ProbableMisfiles(walks[d])...)
		}
	}
	c := &rep.Sweep.Counts
	c.Seen, c.Corrected, c.NotSeen, c.Unknown = len(rep.Seen), len(rep.Corrected), len(rep.NotSeen), len(rep.Unknown)
	return rep
}

// patientIDs are the patients the report shows.
func (r *SweepReport) patientIDs() []int64 {
	ids := make([]int64, 0, len(r.Seen)+len(r.NotSeen))
	for _, vs := range [][]*Volume{r.Seen, r.NotSeen} {
		for _, v := range vs {
			ids = append(ids, v.PatientID)
		}
	}
	return uniqueIDs(ids)
}
