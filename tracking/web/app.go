// Package web is casetrack's HTTP face: the JSON API of API.md for device
// apps and integrators, and the pages people use. It only parses requests,
// calls tracking and renders answers; every rule lives in tracking.
package web

import (
	"context"
	"log/slog"
	"net/netip"
	"time"

	"github.com/casetrack/casetrack/labels"
	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

// Body limits of API.md. Each route reads its body through requestBody
// with its own limit, so a 2 MiB scan is refused even though a batch may
// be 16 MiB; Fiber's own limit is the largest.
const (
	jsonLimit   = 1 << 20
	batchLimit  = 16 << 20
	imageLimit  = 10<<20 + 64<<10 // the image plus its multipart wrapping
	serverLimit = batchLimit
)

// requestTimeout bounds the work one request may ask of the database.
const requestTimeout = 30 * time.Second

// Server holds what the handlers need. It keeps no state of its own
// between requests: everything that must last is in the database, and
// everything the handlers do goes through the Service.
type Server struct {
	Service *tracking.Service
	Logger  *slog.Logger
	// Printers are the label printers configured for this site.
	Printers []Printer
	// Layouts are label sheet layouts configured for this site, beside
	// the built-in Avery ones.
	Layouts []labels.Layout
	// SecureCookies marks session cookies Secure (behind TLS).
	SecureCookies bool
	// TrustedProxies are the load balancers whose X-Forwarded-For names
	// the client (sign-in throttling counts failures per client address).
	TrustedProxies []string

	trusted []netip.Prefix // TrustedProxies, parsed
}

// NewApp builds the Fiber app with every route, over its own copy of the
// server's settings (the default logger when it has none).
func NewApp(srv Server) *fiber.App {
	s := &srv
	if s.Logger == nil {
		s.Logger = slog.Default()
	}
	s.trusted = parseTrusted(s.TrustedProxies)
	app := fiber.New(s.config())
	app.Server().HeaderReceived = s.screenHeader

	app.Use(closeUnread, s.recoverPanics, s.logRequests, checkInputText)
	app.Get("/healthz", s.health)
	api := app.Group("/api/v1", noStore, s.authenticateAPI)
	s.registerLocationRoutes(api)
	s.registerPatientRoutes(api)
	s.registerPatientChangeRoutes(api)
	s.registerImportRoutes(api)
	s.registerVolumeRoutes(api)
	s.registerScanRoutes(api)
	s.registerSweepRoutes(api)
	s.registerOverdueRoutes(api)
	s.registerLabelRoutes(api)
	s.registerUserRoutes(api)
	s.registerTokenRoutes(api)
	s.registerAuditRoutes(api)
	s.registerRequestRoutes(api)
	s.registerAppointmentRoutes(api)
	s.registerPullListRoutes(api)
	s.registerReportRoutes(api)
	s.registerPageRoutes(app)
	app.Use(func(c *fiber.Ctx) error {
		return tracking.Errorf(tracking.ENOTFOUND, "There is nothing at %s.", c.Path())
	})
	return app
}

// noStore keeps every API answer out of caches: most carry patient data,
// and one that does not today may tomorrow. Errors and refusals keep it.
func noStore(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Next()
}

// config is how Fiber serves casetrack.
func (s *Server) config() fiber.Config {
	return fiber.Config{
		AppName: "casetrack",
		// Behind a load balancer the client's address is in
		// X-Forwarded-For, believed only from the proxies named.
		ProxyHeader:             proxyHeader(s.TrustedProxies),
		EnableTrustedProxyCheck: len(s.TrustedProxies) > 0,
		TrustedProxies:          s.TrustedProxies,
		BodyLimit:               serverLimit,
		ErrorHandler:            s.handleError,
		DisableStartupMessage:   true,
		// Bodies are read by the handlers, after authentication
		// (see body.go), never up front.
		StreamRequestBody:            true,
		DisablePreParseMultipartForm: true,
		ReadTimeout:                  headerTimeout,
		WriteTimeout:                 60 * time.Second,
		IdleTimeout:                  120 * time.Second,
	}
}

func proxyHeader(trusted []string) string {
	if len(trusted) == 0 {
		return ""
	}
	return fiber.HeaderXForwardedFor
}

// ctx gives a handler a real context with a deadline: Fiber's own context
// is reused after the handler returns and must not escape it.
func (s *Server) ctx(c *fiber.Ctx) (context.Context, context.CancelFunc) {
	return context.WithTimeout(c.UserContext(), requestTimeout)
}

// health answers 200 once the database answers, without authentication,
// so load balancers and monitoring can call it.
func (s *Server) health(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), 3*time.Second)
	defer cancel()
	if err := s.Service.Ping(ctx); err != nil {
		s.Logger.Error("health check", "err", err)
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable"})
	}
	return c.JSON(fiber.Map{"status": "ok"})
}

func (s *Server) logRequests(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	status := c.Response().StatusCode()
	if err != nil {
		status = statusOf(err)
	}
	// The route pattern, never the path: paths carry hospital numbers and
	// barcodes, which are patient data.
	s.Logger.Info("request", "method", c.Method(), "route", c.Route().Path, "status", status,
		"ms", time.Since(start).Milliseconds())
	return err
}

func (s *Server) recoverPanics(c *fiber.Ctx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			s.Logger.Error("panic in handler", "route", c.Route().Path, "panic", r)
			err = tracking.Errorf(tracking.EINTERNAL, "Internal error.")
		}
	}()
	return c.Next()
}
