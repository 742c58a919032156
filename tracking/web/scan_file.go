package web

import (
	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

// submitScanFile takes a batch scanner's export file.
func (s *Server) submitScanFile(c *fiber.Ctx) error {
	return httpError(codeNotAllowed, "not yet")
}

var _ = tracking.ChannelFile
