package web

import (
	"bufio"
	"context"
	"encoding/json"
	"strconv"
	"time"

	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

func (s *Server) registerRequestRoutes(r fiber.Router) {
	r.Post("/requests", require(tracking.PermRequest), s.createRequest)
	r.Get("/requests", require(tracking.PermLookup), s.listRequests)
	r.Get("/requests/events", require(tracking.PermLookup), s.streamRequests)
	r.Get("/requests/:id", require(tracking.PermLookup), s.showRequest)
	r.Post("/requests/:id/cancel", require(tracking.PermRequest), s.cancelRequest)
}

func (s *Server) createRequest(c *fiber.Ctx) error {
	var in tracking.RequestInput
	if err := decodeJSON(c, jsonLimit, &in); err != nil {
		return err
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	r, err := s.Service.CreateRequest(ctx, actor(c), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(r)
}

func (s *Server) listRequests(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	rs, err := s.Service.FindRequests(ctx, actor(c), tracking.RequestFilter{Status: tracking.RequestStatus(c.Query("status")),
		Location: c.Query("location"), Limit: c.QueryInt("limit")})
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"requests": nonNil(rs)})
}

// requestID reads the :id of a request's path.
func requestID(c *fiber.Ctx) (int64, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, tracking.Errorf(tracking.ENOTFOUND, "There is no request %q.", c.Params("id"))
	}
	return id, nil
}

func (s *Server) showRequest(c *fiber.Ctx) error {
	r, err := s.findRequest(c)
	if err != nil {
		return err
	}
	return c.JSON(r)
}

// findRequest reads the request the path names, for the actor.
func (s *Server) findRequest(c *fiber.Ctx) (*tracking.Request, error) {
	id, err := requestID(c)
	if err != nil {
		return nil, err
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	return s.Service.FindRequest(ctx, actor(c), id)
}

func (s *Server) cancelRequest(c *fiber.Ctx) error {
	id, err := requestID(c)
	if err != nil {
		return err
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	r, err := s.Service.CancelRequest(ctx, actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(r)
}

// keepAlive is how often an idle event stream sends a comment, so that a
// closed client is noticed and proxies keep the connection open.
const keepAlive = 15 * time.Second

// streamRequests sends news of requests as server-sent events while the
// page stays open. The news names requests, never patients: a page that
// shows a request reads it through the API, which writes the access log.
// The stream ends when the server shuts down (or its write time runs
// out); the browser reconnects with the id of the last news it had, and
// hears what it missed, or to read everything again.
func (s *Server) streamRequests(c *fiber.Ctx) error {
	ctx, cancel := context.WithCancel(context.Background())
	news, err := s.Service.WatchRequests(ctx, c.Get("Last-Event-ID"))
	if err != nil {
		cancel()
		return err
	}
	shutdown := c.Context().Done()
	c.Set(fiber.HeaderContentType, "text/event-stream")
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("X-Accel-Buffering", "no")
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		defer cancel()
		tick := time.NewTicker(keepAlive)
		defer tick.Stop()
		_, _ = w.WriteString("retry: 2000\n\n")
		for w.Flush() == nil {
			select {
			case <-shutdown:
				return
			case n, ok := <-news:
				if !ok {
					return
				}
				b, _ := json.Marshal(n)
				if n.ID != "" {
					_, _ = w.WriteString("id: " + n.ID + "\n")
				}
				_, _ = w.WriteString("data: " + string(b) + "\n\n")
			case <-tick.C:
				_, _ = w.WriteString(": still here\n\n")
			}
		}
	})
	return nil
}
