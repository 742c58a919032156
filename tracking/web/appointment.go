package web

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"

	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

func (s *Server) registerAppointmentRoutes(r fiber.Router) {
	r.Post("/appointments", require(tracking.PermManage), s.submitAppointments)
}

// submitAppointments takes appointments from the PAS as JSON
// ({"appointments":[...]}) or a CSV upload (multipart "file"), and answers
// what each did: counts, and each refused one with its line or index.
func (s *Server) submitAppointments(c *fiber.Ctx) error {
	var ins []tracking.AppointmentInput
	var err error
	if strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEMultipartForm) {
		ins, err = s.appointmentsCSV(c)
	} else {
		var body struct {
			Appointments []tracking.AppointmentInput `json:"appointments"`
		}
		err = decodeJSON(c, batchLimit, &body)
		ins = body.Appointments
	}
	if err != nil {
		return err
	}
	rep, err := s.importAppointments(c, ins)
	if err != nil {
		return err
	}
	return c.JSON(rep)
}

// appointmentsCSV reads the uploaded CSV file of appointments.
func (s *Server) appointmentsCSV(c *fiber.Ctx) ([]tracking.AppointmentInput, error) {
	data, err := formFile(c, "file")
	if err != nil {
		return nil, err
	}
	return ParseAppointmentsCSV(data)
}

// importAppointments hands appointments to the service, for the API and
// the pull list page alike.
func (s *Server) importAppointments(c *fiber.Ctx, ins []tracking.AppointmentInput) (tracking.AppointmentReport, error) {
	ctx, cancel := s.ctx(c)
	defer cancel()
	return s.Service.ImportAppointments(ctx, actor(c), ins)
}

// appointmentColumns are the CSV's columns, as API.md names them; a header
// row names them, in any order.
var appointmentColumns = []string{"appointment_id", "clinic", "hospital_number", "nhs_number", "start", "status"}

// ParseAppointmentsCSV reads an appointments CSV (header first; columns in
// any order; nhs_number and status may be left out): each row with its
// file line, for its errors.
func ParseAppointmentsCSV(data []byte) ([]tracking.AppointmentInput, error) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	r.FieldsPerRecord, r.LazyQuotes = -1, true
	header, err := r.Read()
	if err != nil {
		return nil, tracking.FieldError("file", "The file has no header row (%s).", strings.Join(appointmentColumns, ","))
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, need := range []string{"appointment_id", "clinic", "start"} {
		if _, ok := col[need]; !ok {
			return nil, tracking.FieldError("file", "The header has no %s column (want %s).", need, strings.Join(appointmentColumns, ","))
		}
	}
	var out []tracking.AppointmentInput
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			return nil, tracking.FieldError("file", "Line %d cannot be read as CSV.", line)
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		out = append(out, tracking.AppointmentInput{ID: get("appointment_id"), Clinic: get("clinic"), Patient: get("hospital_number"),
			NHSNumber: get("nhs_number"), Start: get("start"), Status: tracking.AppointmentStatus(strings.ToLower(get("status"))), Line: line})
	}
}
