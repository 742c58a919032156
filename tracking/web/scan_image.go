package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"time"

	"github.com/casetrack/casetrack/scanner"
	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

// submitScanImage decodes the barcodes in a photo or webcam frame and takes
// each as a scan. The n-th code of a frame gets scan_id#n, so re-sending
// the same frame is as idempotent as re-sending a scan.
func (s *Server) submitScanImage(c *fiber.Ctx) error {
	if _, err := requestBody(c, imageLimit); err != nil {
		return err
	}
	data, err := formFile(c, "image")
	if err != nil {
		return err
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	codes, err := decodeWithin(ctx, data, decodeBudget(c))
	switch {
	case errors.Is(err, scanner.ErrNotImage):
		return httpError(codeUnsupported, "The upload is not an image casetrack can read: send a JPEG or PNG photo.")
	case errors.Is(err, scanner.ErrImageTooLarge):
		return httpError(codeTooLarge, tracking.ErrorMessage(err))
	case errors.Is(err, scanner.ErrBusy):
		return busy(c, tracking.ErrorMessage(err))
	case err != nil:
		return err
	}
	if c.FormValue("action") == "decode" {
		return c.JSON(fiber.Map{"codes": codes, "results": []any{}})
	}
	base, err := scanFromForm(c)
	if err != nil {
		return err
	}
	scans := make([]tracking.Scan, len(codes))
	for i, code := range codes {
		scans[i] = base
		scans[i].Barcode = code.Text
		if i > 0 && base.ScanID != "" {
			scans[i].ScanID = fmt.Sprintf("%s#%d", base.ScanID, i+1)
		}
	}
	recs, errs, err := s.Service.RecordScans(ctx, actor(c), scans)
	if err != nil {
		return err
	}
	return sendResults(c, map[string]any{"codes": codes}, recs, errs)
}

// busy answers 503 with Retry-After: the decoding memory is taken by other
// images, and a frame sent again in a second will likely find room.
func busy(c *fiber.Ctx, message string) error {
	var body errorBody
	body.Error.Code, body.Error.Message = "unavailable", message
	c.Set(fiber.HeaderRetryAfter, "1")
	return c.Status(fiber.StatusServiceUnavailable).JSON(body)
}

// decodeBudget is how long decoding may take. A frame with no code costs
// the decoder the most, and the camera page sends several a second, so
// live frames get a short budget; a photo someone took on purpose gets
// longer.
func decodeBudget(c *fiber.Ctx) time.Duration {
	if scanChannel(c, "") == tracking.ChannelCamera {
		return 400 * time.Millisecond
	}
	return 8 * time.Second
}

func decodeWithin(ctx context.Context, data []byte, budget time.Duration) ([]scanner.Decoded, error) {
	ctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	return scanner.DecodeImageContext(ctx, bytes.NewReader(data))
}

// scanFromForm reads the scan fields sent beside an uploaded file.
func scanFromForm(c *fiber.Ctx) (tracking.Scan, error) {
	sc := tracking.Scan{ScanID: c.FormValue("scan_id"), Location: c.FormValue("location"),
		Device: c.FormValue("device"), Channel: scanChannel(c, tracking.ChannelImage)}
	var err error
	if sc.Sweep, err = formSweep(c); err != nil {
		return sc, err
	}
	if at := c.FormValue("scanned_at"); at != "" {
		if err := sc.ScannedAt.UnmarshalJSON([]byte(`"` + at + `"`)); err != nil {
			return sc, err
		}
	}
	return sc, nil
}

// formFile reads one uploaded file of a multipart form.
func formFile(c *fiber.Ctx, field string) ([]byte, error) {
	fh, err := c.FormFile(field)
	if err != nil {
		return nil, httpError(codeBadRequest, fmt.Sprintf("Send the file as the multipart form field %q.", field))
	}
	return readFormFile(fh)
}

func readFormFile(fh *multipart.FileHeader) ([]byte, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, httpError(codeBadRequest, "The uploaded file could not be read.")
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, httpError(codeBadRequest, "The uploaded file could not be read.")
	}
	return data, nil
}
