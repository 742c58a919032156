package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"path"

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

var staticFiles = loadStatic()

func loadStatic() map[string]staticFile {
	out := map[string]staticFile{}
	entries, err := fs.ReadDir(staticFS, "static")
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		data, err := staticFS.ReadFile("static/" + e.Name())
		if err != nil {
			panic(err)
		}
		sum := sha256.Sum256(data)
		out[e.Name()] = staticFile{hash: hex.EncodeToString(sum[:6]), data: data,
			mime: mime.TypeByExtension(path.Ext(e.Name()))}
	}
	return out
}

// assetURL is the content-hashed URL of an embedded file; templates call it
// as {{asset "scan.js"}}. A name that is not embedded is a template bug.
func assetURL(name string) (string, error) {
	f, ok := staticFiles[name]
	if !ok {
		return "", tracking.Errorf(tracking.EINTERNAL, "no static file %s", name)
	}
	return "/static/" + f.hash + "/" + name, nil
}

// showStatic serves an embedded file under its current hash only, so a
// cached page from an old release cannot pair with a new script.
func showStatic(c *fiber.Ctx) error {
	f, ok := staticFiles[c.Params("name")]
	if !ok || c.Params("hash") != f.hash {
		return tracking.Errorf(tracking.ENOTFOUND, "No such file.")
	}
	c.Set(fiber.HeaderContentType, f.mime)
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	return c.Send(f.data)
}
