package web

import (
	"context"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"os"
	"strings"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"github.com/casetrack/casetrack/tracking/csvimport"
	"github.com/gofiber/fiber/v2"
)

// Limits of a bulk import over HTTP: a trust's largest file, and how long
// its import may take once received.
const (
	importLimit   = 1 << 30
	importTimeout = time.Hour
	// importIdle is how long an upload may send nothing before it is given
	// up: the server's own read timeout would cut a large one short.
	importIdle = time.Minute
)

func (s *Server) registerImportRoutes(r fiber.Router) {
	r.Post("/import/:kind", require(tracking.PermManage), s.submitImport)
}

// streamsBody reports whether a route reads its body as it arrives rather
// than whole before its handler runs: an import may be a gigabyte.
func streamsBody(path string) bool { return strings.HasPrefix(path, "/api/v1/import/") }

// submitImport imports an uploaded file (multipart "file", with
// "dry_run"): the file is written to a temporary file as it arrives,
// never held in memory, then read as an import reads any file (a file
// that can seek back tells Windows-1252 from UTF-8 exactly).
func (s *Server) submitImport(c *fiber.Ctx) error {
	// The answer may come before the whole body is read; what is left of
	// it must not be taken for the next request.
	c.Context().SetConnectionClose()
	kind, err := csvimport.ParseKind(c.Params("kind"))
	if err != nil {
		return tracking.Errorf(tracking.ENOTFOUND, "%s", tracking.ErrorMessage(err))
	}
	up, err := receiveUpload(c)
	if up != nil {
		defer up.remove()
	}
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(c.UserContext(), importTimeout)
	defer cancel()
	im := s.Service.NewImport(actor(c), up.dryRun || c.Query("dry_run") == "true")
	rep, err := csvimport.Import(ctx, im, kind, up.file, csvimport.Options{}, nil)
	if err != nil {
		return err
	}
	if err := im.Finish(ctx, rep.Summary(kind)); err != nil {
		return err
	}
	return c.JSON(rep)
}

// upload is a received import file and its form values.
type upload struct {
	file   *os.File
	dryRun bool
}

func (u *upload) remove() {
	if u.file != nil {
		u.file.Close()
		os.Remove(u.file.Name())
	}
}

// receiveUpload reads a multipart body as it arrives: the part "file" to
// a temporary file, the part "dry_run" as a flag, anything else passed
// over. More than importLimit bytes is 413.
func receiveUpload(c *fiber.Ctx) (*upload, error) {
	_, params, err := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	if err != nil || params["boundary"] == "" {
		return nil, httpError(codeUnsupported, "Send the file as multipart/form-data, in the field \"file\".")
	}
	if c.Get(refusedHeader) == refusedTooLarge || c.Request().Header.ContentLength() > importLimit+1<<20 {
		return nil, httpError(codeTooLarge, "The file is too large: an import takes at most 1 GiB.")
	}
	mr := multipart.NewReader(bodyReader(c), params["boundary"])
	up := &upload{}
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return up, uploadError(err)
		}
		if err := up.take(p); err != nil {
			return up, uploadError(err)
		}
	}
	if up.file == nil {
		return up, tracking.FieldError("file", "Send the file to import in the multipart field \"file\".")
	}
	_, err = up.file.Seek(0, io.SeekStart)
	return up, err
}

// take reads one part of the form.
func (u *upload) take(p *multipart.Part) error {
	switch p.FormName() {
	case "file":
		if u.file != nil {
			return tracking.FieldError("file", "Send one file at a time.")
		}
		f, err := os.CreateTemp("", "casetrack-import-*.csv")
		if err != nil {
			return err
		}
		u.file = f
		n, err := io.Copy(f, io.LimitReader(p, importLimit+1))
		if err == nil && n > importLimit {
			err = errUploadTooLarge
		}
		return err
	case "dry_run":
		v, err := io.ReadAll(io.LimitReader(p, 16))
		u.dryRun = strings.TrimSpace(string(v)) == "true"
		return err
	}
	_, err := io.Copy(io.Discard, p)
	return err
}

var errUploadTooLarge = errors.New("upload too large")

func uploadError(err error) error {
	var te *tracking.Error
	switch {
	case errors.As(err, &te):
		return te
	case errors.Is(err, errUploadTooLarge):
		return httpError(codeTooLarge, "The file is too large: an import takes at most 1 GiB.")
	}
	return httpError(codeBadRequest, "The upload could not be read: "+err.Error())
}

// bodyReader is the request's body as it arrives, at most importLimit
// (and a little for the form around the file), each read given a fresh
// importIdle to come.
func bodyReader(c *fiber.Ctx) io.Reader {
	var r io.Reader = c.Context().RequestBodyStream()
	if r == nil {
		r = strings.NewReader(string(c.Body()))
	}
	return &uploadReader{r: r, c: c, left: importLimit + 1<<20}
}

type uploadReader struct {
	r    io.Reader
	c    *fiber.Ctx
	left int64
}

func (u *uploadReader) Read(p []byte) (int, error) {
	if u.left <= 0 {
		return 0, errUploadTooLarge
	}
	if conn := u.c.Context().Conn(); conn != nil {
		conn.SetReadDeadline(time.Now().Add(importIdle))
	}
	if int64(len(p)) > u.left {
		p = p[:u.left]
	}
	n, err := u.r.Read(p)
	u.left -= int64(n)
	return n, err
}
