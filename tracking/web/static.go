package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"path"
	"sync"

	"github.com/casetrack/casetrack/tracking"
	"github.com/gofiber/fiber/v2"
)

//go:embed static
var staticFS embed.FS

// staticFile is one embedded script or style sheet and the hash of its
// content, which goes in its URL: a new release gets new URLs, so browsers
// may cache every file for a year and still never run a stale script.
type staticFile struct {
	hash string
	data []byte
	mime string
}

// staticFiles are the embedded files by name, hashed on first use.
var staticFiles = sync.OnceValues(loadStatic)

func loadStatic() (map[string]staticFile, error) {
	out := map[string]staticFile{}
	entries, err := fs.ReadDir(staticFS, "static")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		data, err := staticFS.ReadFile("static/" + e.Name())
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(data)
		out[e.Name()] = staticFile{hash: hex.EncodeToString(sum[:6]), data: data,
			mime: mime.TypeByExtension(path.Ext(e.Name()))}
	}
	return out, nil
}

// findStatic finds an embedded file by name.
func findStatic(name string) (staticFile, bool, error) {
	files, err := staticFiles()
	f, ok := files[name]
	return f, ok, err
}

// assetURL is the content-hashed URL of an embedded file; templates call it
// as {{asset "scan.js"}}. A name that is not embedded is a template bug.
func assetURL(name string) (string, error) {
	f, ok, err := findStatic(name)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", tracking.Errorf(tracking.EINTERNAL, "no static file %s", name)
	}
	return "/static/" + f.hash + "/" + name, nil
}

// showStatic serves an embedded file under its current hash only, so a
// cached page from an old release cannot pair with a new script.
func showStatic(c *fiber.Ctx) error {
	f, ok, err := findStatic(c.Params("name"))
	if err != nil {
		return err
	}
	if !ok || c.Params("hash") != f.hash {
		return tracking.Errorf(tracking.ENOTFOUND, "No such file.")
	}
	c.Set(fiber.HeaderContentType, f.mime)
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	return c.Send(f.data)
}
