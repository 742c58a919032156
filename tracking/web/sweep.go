package web

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/casetrack/casetrack/labels"
	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

// registerSweepRoutes adds sweeps. Anyone who scans may follow a sweep
// and scan for it; starting, finishing and reading reports (which show
// patients) are the library's.
func (s *Server) registerSweepRoutes(r fiber.Router) {
	manage := require(tracking.PermManage)
	r.Post("/sweeps", manage, s.startSweep)
	r.Get("/sweeps", require(tracking.PermScan), s.listSweeps)
	r.Get("/sweeps/:id", require(tracking.PermScan), s.showSweep)
	r.Post("/sweeps/:id/finish", manage, s.finishSweep)
	r.Get("/sweeps/:id/report", manage, s.showSweepReport)
}

// sweepInput is the body of POST /sweeps.
type sweepInput struct {
	Location string `json:"location"`
}

func (s *Server) startSweep(c *fiber.Ctx) error {
	var in sweepInput
	if err := decodeJSON(c, jsonLimit, &in); err != nil {
		return err
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	sw, err := s.Service.StartSweep(ctx, actor(c), in.Location)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(sw)
}

func (s *Server) listSweeps(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	sws, err := s.Service.FindSweeps(ctx, tracking.SweepFilter{Status: c.Query("status"), Limit: c.QueryInt("limit", 0)})
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"sweeps": nonNil(sws)})
}

// sweepParam reads the sweep id of the path: one that cannot be a sweep
// id names no sweep.
func sweepParam(c *fiber.Ctx) (tracking.SweepID, error) {
	id, err := tracking.ParseSweepID(param(c, "id"))
	if err != nil {
		return 0, tracking.Errorf(tracking.ENOTFOUND, "There is no sweep %q.", param(c, "id"))
	}
	return id, nil
}

// formSweep reads the sweep a form's scans are for, if any.
func formSweep(c *fiber.Ctx) (tracking.SweepID, error) {
	v := firstNonEmpty(c.FormValue("sweep"), c.Query("sweep"))
	if v == "" {
		return 0, nil
	}
	return tracking.ParseSweepID(v)
}

func (s *Server) showSweep(c *fiber.Ctx) error {
	id, err := sweepParam(c)
	if err != nil {
		return err
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	sw, err := s.Service.FindSweep(ctx, id)
	if err != nil {
		return err
	}
	return c.JSON(sw)
}

func (s *Server) finishSweep(c *fiber.Ctx) error {
	id, err := sweepParam(c)
	if err != nil {
		return err
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	rep, err := s.Service.FinishSweep(ctx, actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(rep)
}

// showSweepReport answers a finished sweep's report as JSON, CSV
// (?format=csv) or a printable PDF (?format=pdf).
func (s *Server) showSweepReport(c *fiber.Ctx) error {
	id, err := sweepParam(c)
	if err != nil {
		return err
	}
	format, err := wantsFormat(c, "csv", "pdf")
	if err != nil {
		return err
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	rep, err := s.Service.SweepReport(ctx, actor(c), id)
	if err != nil {
		return err
	}
	name := "sweep-" + strconv.FormatInt(int64(id), 10)
	switch format {
	case "csv":
		return sendCSV(c, name+".csv", sweepCSVHeader, sweepCSVRows(rep))
	case "pdf":
		var b bytes.Buffer
		if err := labels.WriteReport(&b, sweepPrint(rep)); err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, "application/pdf")
		c.Set(fiber.HeaderContentDisposition, `inline; filename="`+name+`.pdf"`)
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.Send(b.Bytes())
	}
	return c.JSON(rep)
}

// sweepCSVHeader are the columns of a sweep report as CSV: a row per
// volume seen, corrected or not seen, per probable misfile (with the
// folders either side) and per barcode that named nothing (its text as
// barcode).
var sweepCSVHeader = []string{"outcome", "barcode", "volume_number", "hospital_number", "nhs_number",
	"family_name", "given_name", "was_at", "current_location", "before", "after"}

func sweepCSVRows(rep *tracking.SweepReport) [][]string {
	var rows [][]string
	corrected := map[string]string{}
	for _, c := range rep.Corrected {
		corrected[c.Volume.Barcode] = codeOf(c.WasAt)
	}
	for _, v := range rep.Seen {
		outcome, was := tracking.OutcomeSeen, ""
		if w, ok := corrected[v.Barcode]; ok {
			outcome, was = tracking.OutcomeCorrected, w
		}
		rows = append(rows, volumeCSV(outcome, v, was, "", ""))
	}
	for _, v := range rep.NotSeen {
		rows = append(rows, volumeCSV(tracking.OutcomeNotSeen, v, "", "", ""))
	}
	for _, m := range rep.Misfiles {
		rows = append(rows, volumeCSV("misfile", m.Volume, "", barcodeOf(m.Before), barcodeOf(m.After)))
	}
	for _, u := range rep.Unknown {
		rows = append(rows, []string{"unknown", u, "", "", "", "", "", "", "", "", ""})
	}
	return rows
}

func volumeCSV(outcome string, v *tracking.Volume, was, before, after string) []string {
	p := v.Patient
	if p == nil {
		p = &tracking.Patient{}
	}
	return []string{outcome, v.Barcode, strconv.Itoa(v.Number), p.HospitalNumber, p.NHSNumber, p.FamilyName,
		p.GivenName, was, codeOf(v.Current), before, after}
}

func codeOf(l *tracking.Location) string {
	if l == nil {
		return ""
	}
	return l.Code
}

func barcodeOf(v *tracking.Volume) string {
	if v == nil {
		return ""
	}
	return v.Barcode
}

// sweepPrint is a sweep's report as a printed page shows it: what was
// swept, when and by whom, then what needs doing first (corrections,
// folders not seen, misfiles, unknown barcodes), then everything seen.
func sweepPrint(rep *tracking.SweepReport) labels.Report {
	sw := rep.Sweep
	r := labels.Report{Title: fmt.Sprintf("Sweep %d of %s", sw.ID, sw.Location.Code), Lines: []string{
		sw.Location.Name,
		fmt.Sprintf("Started %s by %s; finished %s by %s.", formatWhen(sw.StartedAt), sw.StartedBy, formatWhen(*sw.FinishedAt), sw.FinishedBy),
		fmt.Sprintf("%d folders seen, %d of them booked here from elsewhere; %d not seen; %d probable misfiles; %d barcodes unknown.",
			len(rep.Seen), len(rep.Corrected), len(rep.NotSeen), len(rep.Misfiles), len(rep.Unknown)),
	}}
	folder := []labels.ReportColumn{{Title: "Folder", Share: 2.2}, {Title: "Patient", Share: 3.6}, {Title: "Hospital No.", Share: 1.8}}
	var corrected, notSeen, misfiles, unknown, seen [][]string
	for _, c := range rep.Corrected {
		corrected = append(corrected, append(folderCells(c.Volume), placeName(c.WasAt)))
	}
	for _, v := range rep.NotSeen {
		notSeen = append(notSeen, append(folderCells(v), placeName(v.Current)))
	}
	for _, m := range rep.Misfiles {
		misfiles = append(misfiles, append(folderCells(m.Volume), shortFolder(m.Before), shortFolder(m.After)))
	}
	for _, u := range rep.Unknown {
		unknown = append(unknown, []string{u})
	}
	for _, v := range rep.Seen {
		seen = append(seen, append(folderCells(v), placeName(v.Current)))
	}
	r.Sections = []labels.ReportSection{
		{Heading: "Booked here by the sweep", Columns: append(folder, labels.ReportColumn{Title: "Recorded at", Share: 2.4}), Rows: corrected, Empty: "None: every folder seen was recorded here."},
		{Heading: "Recorded here but not seen", Columns: append(folder, labels.ReportColumn{Title: "Recorded at", Share: 2.4}), Rows: notSeen, Empty: "None."},
		{Heading: "Probable misfiles (out of terminal-digit order)", Columns: append(folder, labels.ReportColumn{Title: "Next to", Share: 1.6}, labels.ReportColumn{Title: "and", Share: 1.6}), Rows: misfiles, Empty: "None."},
		{Heading: "Barcodes that named nothing", Columns: []labels.ReportColumn{{Title: "As the scanner read it", Share: 1}}, Rows: unknown, Empty: "None."},
		{Heading: "All folders seen", Columns: append(folder, labels.ReportColumn{Title: "Now at", Share: 2.4}), Rows: seen, Empty: "None."},
	}
	return r
}

func folderCells(v *tracking.Volume) []string {
	name, hn := "", ""
	if p := v.Patient; p != nil {
		name, hn = patientName(p), p.HospitalNumber
	}
	vol := "Vol " + strconv.Itoa(v.Number)
	if v.Count > 0 {
		vol += " of " + strconv.Itoa(v.Count)
	}
	return []string{v.Barcode + " " + vol, name, hn}
}

// patientName is a patient as labels and wristbands name them: FAMILY,
// Given.
func patientName(p *tracking.Patient) string {
	if p.GivenName == "" {
		return strings.ToUpper(p.FamilyName)
	}
	return strings.ToUpper(p.FamilyName) + ", " + p.GivenName
}

func shortFolder(v *tracking.Volume) string {
	if v == nil || v.Patient == nil {
		return "—"
	}
	return v.Patient.HospitalNumber
}

func placeName(l *tracking.Location) string {
	if l == nil {
		return ""
	}
	return l.Name + " (" + l.Code + ")"
}
