package web

import (
	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

// scanPage is what the scan station and the camera page need: the modes
// and where a receiving station may say it is.
type scanPage struct {
	Channel   string
	Locations []*tracking.Location
}

// showScanStation is the page a keyboard-wedge scanner types into. All the
// work happens in its script, against the JSON API, so scans queue in the
// browser when the network drops.
func (s *Server) showScanStation(c *fiber.Ctx) error {
	return s.showScanPage(c, "scan", "Scan station", tracking.ChannelStation)
}

// showCamera is the scan station fed by the device's camera.
func (s *Server) showCamera(c *fiber.Ctx) error {
	return s.showScanPage(c, "camera", "Camera scanning", tracking.ChannelCamera)
}

func (s *Server) showScanPage(c *fiber.Ctx, name, title, channel string) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	ls, err := s.Service.FindLocations(ctx, tracking.LocationFilter{Limit: 500})
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, name, s.newPage(c, title, scanPage{Channel: channel, Locations: ls}))
}
