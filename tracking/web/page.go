package web

import "github.com/gofiber/fiber/v2"

// registerPageRoutes adds the pages people use.
func (s *Server) registerPageRoutes(app *fiber.App) {}
