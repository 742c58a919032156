package web

import (
	"context"
	"net/url"
	"strings"

	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

// registerVolumePages adds the volume actions of /lookup: a status change
// (with a note; destruction confirmed by typing the barcode), a temporary
// folder for a missing volume, and amalgamation.
func (s *Server) registerVolumePages(r fiber.Router) {
	manage := s.requirePage(tracking.PermManage)
	r.Post("/lookup/volumes/:barcode/status", manage, s.checkCSRF, s.submitVolumeStatus)
	r.Post("/lookup/volumes/:barcode/temporary", manage, s.checkCSRF, s.submitTemporaryFolder)
	r.Post("/lookup/volumes/:barcode/amalgamate", manage, s.checkCSRF, s.submitAmalgamate)
	s.registerHoldPages(r)
}

// lookupExceptions is what /lookup adds about volumes that went astray:
// what the last action did or why it could not, and the volumes the
// person marked missing that scans have found since.
type lookupExceptions struct {
	Done, Problem string
	Found         []*tracking.FoundVolume
}

// volumeStatusView is one volume's status history and, for those who may
// change it, the actions (see templates/part_volume_status.html).
type volumeStatusView struct {
	*tracking.Volume
	CanManage bool
	// CanHold is for records managers and admins, who place legal holds
	// on the record of the patient with HospitalNumber.
	CanHold        bool
	HospitalNumber string
	CSRF           string
	// Statuses are those a person may choose; Others the patient's other
	// volumes, which a temporary folder may go into.
	Statuses []tracking.VolumeStatus
	Others   []*tracking.Volume
	Printers []Printer
}

// choosableStatuses are the statuses the form offers: temporary comes with
// a new folder, and amalgamated only by amalgamating.
var choosableStatuses = []tracking.VolumeStatus{tracking.StatusActive, tracking.StatusClosed, tracking.StatusMissing,
	tracking.StatusArchived, tracking.StatusDestroyed}

// doneMessages say what a finished action did; the page shows only these
// fixed sentences, whatever the address holds.
var doneMessages = map[string]string{
	"status":     "The volume's status is changed.",
	"temporary":  "A temporary folder is made: print its label, marked TEMPORARY, below.",
	"amalgamate": "The temporary folder is amalgamated: take its label off.",
	"retention":  "The volume's review date is changed.",
	"proposed":   "Destruction is proposed: a second person must approve it here before it is recorded.",
}

const (
	lookupProblemKey = "casetrack.lookup.problem"
	lookupStatusKey  = "casetrack.lookup.status"
)

// lookupStatus is the status the lookup page answers with: a refused
// action's, else 200.
func lookupStatus(c *fiber.Ctx) int {
	if st, ok := c.Locals(lookupStatusKey).(int); ok {
		return st
	}
	return fiber.StatusOK
}

// addVolumeStatus adds to the lookup page each shown volume's status
// history and actions, the outcome of the last action, and the volumes
// found since the person marked them missing.
func (s *Server) addVolumeStatus(ctx context.Context, c *fiber.Ctx, lp *lookupPage) error {
	if p, ok := c.Locals(lookupProblemKey).(string); ok {
		lp.Exceptions.Problem = p
	}
	lp.Exceptions.Done = doneMessages[c.Query("done")]
	sess, _ := c.Locals(sessionKey).(*tracking.Session)
	manage := sess != nil && sess.Role.Can(tracking.PermManage)
	var vols []*tracking.Volume
	for _, p := range lp.Patients {
		for _, v := range p.Volumes {
			vols = append(vols, v.Volume)
		}
	}
	if err := s.Service.AddStatusRecords(ctx, actor(c), vols); err != nil {
		return err
	}
	var err error
	for _, p := range lp.Patients {
		for i, v := range p.Volumes {
			sv := &volumeStatusView{Volume: v.Volume, CanManage: manage, Statuses: choosableStatuses, Printers: s.Printers,
				CanHold: manage && sess.Role.Can(tracking.PermReport), HospitalNumber: p.HospitalNumber}
			if manage {
				sv.CSRF = sess.CSRF
				if sv.Others, err = s.amalgamateChoices(ctx, c, p.Patient, v.Volume); err != nil {
					return err
				}
			}
			p.Volumes[i].StatusPart = sv
		}
	}
	if manage {
		lp.Exceptions.Found, err = s.Service.Found(ctx, actor(c), true)
	}
	return err
}

// amalgamateChoices are the volumes a temporary folder may go into: the
// patient's others that are real folders (read afresh, as a search by
// barcode shows one volume only). Other volumes need none.
func (s *Server) amalgamateChoices(ctx context.Context, c *fiber.Ctx, p *tracking.Patient, v *tracking.Volume) ([]*tracking.Volume, error) {
	if v.Status != tracking.StatusTemporary {
		return nil, nil
	}
	ps, err := s.Service.FindPatients(ctx, actor(c), tracking.PatientFilter{HospitalNumber: p.HospitalNumber})
	if err != nil || len(ps) == 0 {
		return nil, err
	}
	var out []*tracking.Volume
	for _, o := range ps[0].Volumes {
		if tracking.CheckAmalgamation(v, o) == nil {
			out = append(out, o)
		}
	}
	return out, nil
}

// submitVolumeStatus changes a volume's status from /lookup. Marking it
// missing needs a note of where it was searched; destroying it needs its
// barcode typed again, so a slip of the mouse never destroys a record.
func (s *Server) submitVolumeStatus(c *fiber.Ctx) error {
	barcode := param(c, "barcode")
	st := tracking.VolumeStatus(c.FormValue("status"))
	note := strings.TrimSpace(c.FormValue("note"))
	switch {
	case st == tracking.StatusMissing && note == "":
		return s.lookupProblem(c, barcode, tracking.FieldError("note", "Say where the notes were searched for before marking them missing."))
	case st == tracking.StatusDestroyed && !strings.EqualFold(strings.TrimSpace(c.FormValue("confirm")), barcode):
		return s.lookupProblem(c, barcode, tracking.FieldError("confirm", "To record destruction, type the folder's barcode %s in the box to confirm.", barcode))
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	v, err := s.Service.UpdateVolume(ctx, actor(c), barcode, tracking.VolumeUpdate{Status: &st, Note: note})
	if err != nil {
		return s.lookupProblem(c, barcode, err)
	}
	done := "status"
	if proposed(tracking.VolumeUpdate{Status: &st}, v) {
		done = "proposed"
	}
	return lookupDone(c, v.Patient.HospitalNumber, done)
}

// submitTemporaryFolder makes a temporary folder for a missing volume.
func (s *Server) submitTemporaryFolder(c *fiber.Ctx) error {
	barcode := param(c, "barcode")
	ctx, cancel := s.ctx(c)
	defer cancel()
	v, err := s.Service.FindVolume(ctx, actor(c), barcode)
	if err != nil {
		return s.lookupProblem(c, barcode, err)
	}
	temp, err := s.Service.AddVolume(ctx, actor(c), v.Patient.HospitalNumber,
		tracking.VolumeInput{Temporary: true, Original: v.Barcode, Home: v.Home.Code})
	if err != nil {
		return s.lookupProblem(c, barcode, err)
	}
	return lookupDone(c, temp.Patient.HospitalNumber, "temporary")
}

func (s *Server) submitAmalgamate(c *fiber.Ctx) error {
	barcode := param(c, "barcode")
	ctx, cancel := s.ctx(c)
	defer cancel()
	v, err := s.Service.Amalgamate(ctx, actor(c), barcode, c.FormValue("into"))
	if err != nil {
		return s.lookupProblem(c, barcode, err)
	}
	return lookupDone(c, v.Patient.HospitalNumber, "amalgamate")
}

// lookupDone shows the patient's volumes again, with what the action did.
func lookupDone(c *fiber.Ctx, hospitalNumber, done string) error {
	return c.Redirect("/lookup?q="+url.QueryEscape(hospitalNumber)+"&done="+done, fiber.StatusSeeOther)
}

// lookupProblem shows the volume again on /lookup with why the action was
// refused. Internal errors go to the error page.
func (s *Server) lookupProblem(c *fiber.Ctx, barcode string, err error) error {
	if tracking.ErrorCode(err) == tracking.EINTERNAL {
		return err
	}
	c.Locals(lookupProblemKey, tracking.ErrorMessage(err))
	c.Locals(lookupStatusKey, statusOf(err))
	c.Request().URI().QueryArgs().Set("q", barcode)
	return s.showLookup(c)
}
