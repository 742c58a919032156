package web

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

// mergeAnswer is the answer to a merge: the survivor as GET shows it,
// the volumes whose labels changed, and the merge's record.
type mergeAnswer struct {
	patientJSON
	Relabel []*tracking.Volume `json:"relabel"`
	Merge   int64              `json:"merge"`
}

func (s *Server) mergePatient(c *fiber.Ctx) error {
	var in struct {
		Into string `json:"into"`
	}
	if err := decodeJSON(c, jsonLimit, &in); err != nil {
		return err
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	res, err := s.Service.MergePatient(ctx, actor(c), param(c, "hospital_number"), in.Into, tracking.MergeByAPI)
	if err != nil {
		return err
	}
	return c.JSON(mergeAnswer{patientJSON: patientAnswer(res.Survivor), Relabel: res.Relabel, Merge: res.MergeID})
}

// mergeJSON is a merge's record as the API lists it.
type mergeJSON struct {
	ID        int64               `json:"id"`
	Duplicate tracking.Patient    `json:"duplicate"`
	Survivor  *tracking.Patient   `json:"survivor"`
	MergedAt  tracking.Timestamp  `json:"merged_at"`
	MergedBy  string              `json:"merged_by"`
	Channel   string              `json:"channel"`
	Relabel   []*tracking.Volume  `json:"relabel"`
	Done      bool                `json:"done"`
	DoneAt    *tracking.Timestamp `json:"done_at,omitempty"`
	DoneBy    string              `json:"done_by,omitempty"`
}

func mergeView(m *tracking.Merge) mergeJSON {
	v := mergeJSON{ID: m.ID, Duplicate: m.Duplicate, Survivor: m.Survivor, MergedAt: tracking.TimestampOf(m.At),
		MergedBy: m.By, Channel: m.Channel, Relabel: nonNil(m.Relabel), Done: !m.Open(), DoneBy: m.DoneBy}
	if m.DoneAt != nil {
		at := tracking.TimestampOf(*m.DoneAt)
		v.DoneAt = &at
	}
	return v
}

// listMerges lists merges: the open ones (folders to relabel), or with
// ?open=false the latest of all.
func (s *Server) listMerges(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	ms, err := s.Service.FindMerges(ctx, actor(c), tracking.MergeFilter{Open: c.Query("open") != "false", Limit: c.QueryInt("limit", 100)})
	if err != nil {
		return err
	}
	out := make([]mergeJSON, len(ms))
	for i, m := range ms {
		out[i] = mergeView(m)
	}
	return c.JSON(fiber.Map{"merges": out})
}

func (s *Server) finishMerge(c *fiber.Ctx) error {
	id, err := mergeID(c)
	if err != nil {
		return err
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	m, err := s.Service.FinishMerge(ctx, actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(mergeView(m))
}

func mergeID(c *fiber.Ctx) (int64, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, tracking.Errorf(tracking.ENOTFOUND, "There is no merge %q.", c.Params("id"))
	}
	return id, nil
}

// registerPatientPages adds the pages that edit a patient's details and
// merge duplicate records, and the list of merges whose folders wait to
// be relabelled.
func (s *Server) registerPatientPages(r fiber.Router) {
	manage := s.requirePage(tracking.PermManage)
	r.Get("/patients/:hospital_number/edit", manage, s.showPatientEdit)
	r.Post("/patients/:hospital_number/edit", manage, s.checkCSRF, s.submitPatientEdit)
	r.Get("/patients/:hospital_number/merge", manage, s.showMerge)
	r.Post("/patients/:hospital_number/merge", manage, s.checkCSRF, s.submitMerge)
	r.Get("/merges", manage, s.showMerges)
	r.Post("/merges/:id/done", manage, s.checkCSRF, s.submitMergeDone)
}

// mergePage is the merge form: the duplicate, and once chosen the record
// to merge it into, side by side, with what may mean they are two people.
type mergePage struct {
	Duplicate *tracking.Patient
	Into      string
	Survivor  *tracking.Patient
	Doubts    []string
	Problem   string
	// Cards are the records as the page shows them side by side.
	Cards []recordCard
}

// recordCard is one record on the merge page, with what it will be.
type recordCard struct {
	Title   string
	Patient *tracking.Patient
}

// showMerge shows the duplicate and, when ?into= names a record, both
// records side by side for the person to check before merging.
func (s *Server) showMerge(c *fiber.Ctx) error {
	mp, err := s.mergeForm(c, strings.TrimSpace(c.Query("into")))
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "merge", s.newPage(c, "Merge records", mp))
}

// mergeForm reads both records for the merge page; a problem with the
// record to merge into is the page's to show, not an error page.
func (s *Server) mergeForm(c *fiber.Ctx, into string) (mergePage, error) {
	ctx, cancel := s.ctx(c)
	defer cancel()
	hn := strings.ToUpper(param(c, "hospital_number"))
	dup, err := s.Service.FindPatient(ctx, actor(c), hn)
	if err != nil {
		return mergePage{}, err
	}
	mp := mergePage{Duplicate: dup, Into: into, Cards: []recordCard{{"Duplicate: merged away", dup}}}
	if dup.HospitalNumber != hn {
		mp.Problem = "Patient " + hn + " has already been merged into " + dup.HospitalNumber + "."
		return mp, nil
	}
	if into == "" {
		return mp, nil
	}
	survivor, err := s.Service.FindPatient(ctx, actor(c), into)
	switch {
	case tracking.ErrorCode(err) == tracking.ENOTFOUND:
		mp.Problem = "No patient has the hospital number " + strings.ToUpper(into) + "."
	case err != nil:
		return mp, err
	case survivor.HospitalNumber != strings.ToUpper(into):
		mp.Problem = strings.ToUpper(into) + " has been merged into " + survivor.HospitalNumber + ": merge into " + survivor.HospitalNumber + " instead."
	case survivor.ID == dup.ID:
		mp.Problem = "A patient cannot be merged into itself."
	default:
		mp.Survivor, mp.Doubts = survivor, tracking.MergeDoubts(dup, survivor)
		mp.Cards = append(mp.Cards, recordCard{"Survivor: keeps everything", survivor})
	}
	return mp, nil
}

// mergeDonePage is what a merge did.
type mergeDonePage struct {
	Duplicate string
	Result    *tracking.MergeResult
}

func (s *Server) submitMerge(c *fiber.Ctx) error {
	into := strings.TrimSpace(c.FormValue("into"))
	ctx, cancel := s.ctx(c)
	defer cancel()
	hn := strings.ToUpper(param(c, "hospital_number"))
	res, err := s.Service.MergePatient(ctx, actor(c), hn, into, tracking.MergeByPage)
	if err == nil {
		return s.render(c, fiber.StatusOK, "merge_done", s.newPage(c, "Records merged", mergeDonePage{Duplicate: hn, Result: res}))
	}
	if tracking.ErrorCode(err) == tracking.EINTERNAL {
		return err
	}
	mp, ferr := s.mergeForm(c, into)
	if ferr != nil {
		return ferr
	}
	mp.Problem = tracking.ErrorMessage(err)
	return s.render(c, statusOf(err), "merge", s.newPage(c, "Merge records", mp))
}

// mergesPage lists merges whose folders wait to be relabelled.
type mergesPage struct {
	Merges []mergeItem
	All    bool
	Done   string
}

// mergeItem is a merge with its times as pages show them.
type mergeItem struct {
	*tracking.Merge
	MergedAt, DoneWhen tracking.Timestamp
}

// showMerges lists the open merges (every recent one with ?all=1): each
// a task until its folders are relabelled and filed with the survivor's.
func (s *Server) showMerges(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	mp := mergesPage{All: c.Query("all") != ""}
	ms, err := s.Service.FindMerges(ctx, actor(c), tracking.MergeFilter{Open: !mp.All})
	if err != nil {
		return err
	}
	for _, m := range ms {
		it := mergeItem{Merge: m, MergedAt: tracking.TimestampOf(m.At)}
		if m.DoneAt != nil {
			it.DoneWhen = tracking.TimestampOf(*m.DoneAt)
		}
		mp.Merges = append(mp.Merges, it)
	}
	if id := c.Query("done"); id != "" {
		mp.Done = "The folders of merge " + id + " are marked relabelled."
		if _, err := strconv.Atoi(id); err != nil {
			mp.Done = ""
		}
	}
	return s.render(c, fiber.StatusOK, "merges", s.newPage(c, "Merges to relabel", mp))
}

func (s *Server) submitMergeDone(c *fiber.Ctx) error {
	id, err := mergeID(c)
	if err != nil {
		return err
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	if _, err := s.Service.FinishMerge(ctx, actor(c), id); err != nil {
		return err
	}
	return c.Redirect("/merges?done="+url.QueryEscape(strconv.FormatInt(id, 10)), fiber.StatusSeeOther)
}
