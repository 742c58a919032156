package web

import (
	"bytes"
	"encoding/csv"
	"net/url"
	"strings"

	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

// registerAuditRoutes adds the access log's API, for records managers and
// administrators; the /audit page reads the same.
func (s *Server) registerAuditRoutes(r fiber.Router) {
	r.Get("/access-log", require(tracking.PermReport), s.listAccessLog)
}

// accessJSON is an access-log entry as the API shows it.
type accessJSON struct {
	At        tracking.Timestamp `json:"at"`
	Actor     string             `json:"actor"`
	ActorKind string             `json:"actor_kind"`
	Role      tracking.Role      `json:"role"`
	Action    string             `json:"action"`
	Patient   *tracking.Patient  `json:"patient"`
	Detail    string             `json:"detail,omitempty"`
}

func accessView(e tracking.AccessEntry) accessJSON {
	return accessJSON{At: tracking.TimestampOf(e.At), Actor: e.Actor, ActorKind: string(e.ActorKind), Role: e.Role,
		Action: e.Action, Patient: e.Patient, Detail: e.Detail}
}

// accessQuery reads the access log's filters from the address.
func accessQuery(c *fiber.Ctx) tracking.AccessQuery {
	return tracking.AccessQuery{Patient: c.Query("patient"), Actor: c.Query("actor"), From: c.Query("from"),
		To: c.Query("to"), After: c.Query("after"), Limit: c.QueryInt("limit")}
}

// listAccessLog answers GET /api/v1/access-log: a page of entries, newest
// first, with next for the page after; format=csv downloads them all.
func (s *Server) listAccessLog(c *fiber.Ctx) error {
	if c.Query("format") == "csv" {
		return s.downloadAccessLog(c)
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	page, err := s.Service.ReadAccessLog(ctx, actor(c), accessQuery(c))
	if err != nil {
		return err
	}
	out := make([]accessJSON, len(page.Entries))
	for i, e := range page.Entries {
		out[i] = accessView(e)
	}
	body := fiber.Map{"entries": out}
	if page.Next != "" {
		body["next"] = page.Next
	}
	return c.JSON(body)
}

// accessCSVHeader names the columns of a downloaded access log.
var accessCSVHeader = []string{"at", "actor", "actor_kind", "role", "action", "hospital_number", "nhs_number",
	"family_name", "given_name", "birth_date", "detail"}

// downloadAccessLog sends the entries the filters find as CSV, newest
// first, at most tracking.MaxAccessExport of them.
func (s *Server) downloadAccessLog(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	page, err := s.Service.ExportAccessLog(ctx, actor(c), accessQuery(c))
	if err != nil {
		return err
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(accessCSVHeader)
	for _, e := range page.Entries {
		w.Write(accessCSVRow(e))
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="access-log.csv"`)
	if page.Next != "" {
		c.Set("X-Casetrack-Truncated", "true")
	}
	return c.Send(b.Bytes())
}

func accessCSVRow(e tracking.AccessEntry) []string {
	row := []string{tracking.TimestampOf(e.At).Format(), e.Actor, string(e.ActorKind), string(e.Role), e.Action,
		"", "", "", "", "", e.Detail}
	if p := e.Patient; p != nil {
		row[5], row[6], row[7], row[8] = p.HospitalNumber, p.NHSNumber, p.FamilyName, p.GivenName
		if p.BirthDate != nil {
			row[9] = p.BirthDate.String()
		}
	}
	for i := range row {
		row[i] = csvCell(row[i])
	}
	return row
}

// auditPage is the /audit page: the filters, a page of entries, and the
// addresses of the next page, the first page and the CSV download.
type auditPage struct {
	Query   tracking.AccessQuery
	Entries []tracking.AccessEntry
	Next    string
	First   string
	CSV     string
	Problem string
}

// auditPageSize is how many entries the page shows at a time.
const auditPageSize = 50

// showAudit is the access log for records managers: who read or changed
// which patient's record, by patient, by person or device and by date.
func (s *Server) showAudit(c *fiber.Ctx) error {
	q := accessQuery(c)
	q.Limit = auditPageSize
	ap := auditPage{Query: q}
	if q.After != "" {
		ap.First = auditLink("/audit", q, "", "")
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	page, err := s.Service.ReadAccessLog(ctx, actor(c), q)
	switch code := tracking.ErrorCode(err); {
	case err == nil:
		ap.Entries = page.Entries
		if page.Next != "" {
			ap.Next = auditLink("/audit", q, page.Next, "")
		}
		ap.CSV = auditLink("/api/v1/access-log", q, "", "csv")
	case code == tracking.EINVALID || code == tracking.ENOTFOUND:
		ap.Problem = tracking.ErrorMessage(err)
	default:
		return err
	}
	return s.render(c, fiber.StatusOK, "audit", s.newPage(c, "Access log", ap))
}

// auditLink is the address of the same query on the page after a cursor,
// or in a format.
func auditLink(path string, q tracking.AccessQuery, after, format string) string {
	v := url.Values{}
	for k, val := range map[string]string{"patient": q.Patient, "actor": q.Actor, "from": q.From, "to": q.To,
		"after": after, "format": format} {
		if val != "" {
			v.Set(k, val)
		}
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// actionLabels name the access log's actions as the page shows them;
// others show as written, without underscores.
var actionLabels = map[string]string{
	"scan":            "Scan",
	"scan_repeat":     "Scan sent again",
	"read_access_log": "Read the access log",
}

func actionLabel(action string) string {
	if l, ok := actionLabels[action]; ok {
		return l
	}
	return strings.ReplaceAll(action, "_", " ")
}
