package web

import "github.com/gofiber/fiber/v2"

// Printer is a configured label printer.
type Printer struct {
	Name string
	Addr string
	DPI  int
}

func (s *Server) registerLabelRoutes(r fiber.Router) {}
