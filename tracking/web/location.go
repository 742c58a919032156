package web

import (
	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

func (s *Server) registerLocationRoutes(r fiber.Router) {
	r.Post("/locations", require(tracking.PermManage), s.createLocation)
	r.Get("/locations", require(tracking.PermLookup), s.listLocations)
	r.Get("/locations/:code", require(tracking.PermLookup), s.showLocation)
	r.Get("/locations/:code/volumes", require(tracking.PermLookup), s.listVolumesAtLocation)
	r.Patch("/locations/:code", require(tracking.PermManage), s.updateLocation)
}

func (s *Server) updateLocation(c *fiber.Ctx) error {
	var upd tracking.LocationUpdate
	if err := decodeJSON(c, jsonLimit, &upd); err != nil {
		return err
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	l, err := s.Service.UpdateLocation(ctx, param(c, "code"), upd)
	if err != nil {
		return err
	}
	return c.JSON(l)
}

func (s *Server) createLocation(c *fiber.Ctx) error {
	var l tracking.Location
	if err := decodeJSON(c, jsonLimit, &l); err != nil {
		return err
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	if err := s.Service.CreateLocation(ctx, &l); err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(&l)
}

func (s *Server) listLocations(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	ls, err := s.Service.FindLocations(ctx, tracking.LocationFilter{
		Kind: tracking.LocationKind(c.Query("kind")), Query: c.Query("q"), Limit: c.QueryInt("limit", 500)})
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"locations": ls})
}

func (s *Server) showLocation(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	l, err := s.Service.FindLocation(ctx, param(c, "code"))
	if err != nil {
		return err
	}
	return c.JSON(l)
}

func (s *Server) listVolumesAtLocation(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	_, vols, err := s.Service.VolumesAt(ctx, actor(c), param(c, "code"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"volumes": nonNil(vols)})
}

// nonNil makes an empty list encode as [] rather than null.
func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}
