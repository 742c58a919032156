package web

import (
	"encoding/json"

	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

func (s *Server) registerVolumeRoutes(r fiber.Router) {
	r.Get("/volumes/:barcode", require(tracking.PermLookup), s.showVolume)
	r.Get("/volumes/:barcode/movements", require(tracking.PermLookup), s.listMovements)
	r.Patch("/volumes/:barcode", require(tracking.PermManage), s.updateVolume)
	r.Post("/volumes/:barcode/amalgamate", require(tracking.PermManage), s.amalgamateVolume)
}

// amalgamateInput is the body of POST /volumes/{barcode}/amalgamate.
type amalgamateInput struct {
	Into string `json:"into"`
}

func (s *Server) amalgamateVolume(c *fiber.Ctx) error {
	var in amalgamateInput
	if err := decodeJSON(c, jsonLimit, &in); err != nil {
		return err
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	v, err := s.Service.Amalgamate(ctx, actor(c), param(c, "barcode"), in.Into)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

func (s *Server) updateVolume(c *fiber.Ctx) error {
	upd, err := decodeVolumeUpdate(c)
	if err != nil {
		return err
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	v, err := s.Service.UpdateVolume(ctx, actor(c), param(c, "barcode"), upd)
	if err != nil {
		return err
	}
	if proposed(upd, v) {
		// Two-person destruction: kept as a proposal, not done yet.
		return c.Status(fiber.StatusAccepted).JSON(v)
	}
	return c.JSON(v)
}

func (s *Server) showVolume(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	v, err := s.Service.FindVolume(ctx, actor(c), param(c, "barcode"))
	if err != nil {
		return err
	}
	return c.JSON(v)
}

func (s *Server) listMovements(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	ms, err := s.Service.FindMovements(ctx, actor(c), param(c, "barcode"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"movements": nonNil(ms)})
}

// proposed reports whether an update asking to destroy a volume was kept
// as a proposal for a second person to approve.
func proposed(upd tracking.VolumeUpdate, v *tracking.Volume) bool {
	return upd.Status != nil && *upd.Status == tracking.StatusDestroyed && v.Status != tracking.StatusDestroyed &&
		v.Retention != nil && v.Proposal != nil
}

// decodeVolumeUpdate reads a volume PATCH body: status and note as
// before, and retain_until (a date sets it, null clears it, absent keeps
// it).
func decodeVolumeUpdate(c *fiber.Ctx) (tracking.VolumeUpdate, error) {
	var upd tracking.VolumeUpdate
	var raw map[string]json.RawMessage
	if err := decodeJSON(c, jsonLimit, &raw); err != nil {
		return upd, err
	}
	for name, to := range map[string]any{"status": &upd.Status, "note": &upd.Note} {
		if v, ok := raw[name]; ok {
			if err := json.Unmarshal(v, to); err != nil {
				return upd, httpError(codeBadRequest, "The body is not valid JSON: field "+name+" has the wrong type.")
			}
		}
	}
	var err error
	upd.RetainUntil, err = dateChange(raw, "retain_until")
	return upd, err
}
