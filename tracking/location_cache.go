package tracking

import (
	"context"
	"sync"
	"time"
)

// locationTTL bounds how long a looked-up location is reused. Locations
// are reference data that scans read on every request and that change
// rarely (PATCH /locations), so a short cache saves a query per scan
// without any instance holding state that matters: a miss always asks the
// database, and an edit is seen everywhere within the minute.
const locationTTL = time.Minute

// locationCheckEvery is how often the cache asks the database whether any
// location has changed (LocationGeneration), so that a change made by
// another instance or by an import from the command line is seen within
// a second, not when the entry expires; a change made through this
// Service is seen at once.
const locationCheckEvery = time.Second

// LocationChangeStore is the part of Store that tells the location cache
// when to forget what it holds.
type LocationChangeStore interface {
	// LocationGeneration is a number the database changes whenever a
	// location is added or changed, by whatever instance or command.
	LocationGeneration(ctx context.Context) (int64, error)
}

// locationCache remembers locations found by code or barcode. Cached
// locations are shared between requests and must not be modified.
type locationCache struct {
	mu      sync.Mutex
	entries map[string]cachedLocation
	// generation is the database's LocationGeneration the entries were
	// read under; checked when it was last asked.
	generation int64
	checked    time.Time
}

type cachedLocation struct {
	loc     *Location
	expires time.Time
}

func (c *locationCache) get(key string, now time.Time) *Location {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || now.After(e.expires) {
		return nil
	}
	return e.loc
}

// forget drops every entry: the locations have changed.
func (c *locationCache) forget() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries = nil
}

// due reports whether it is time to ask whether the locations changed,
// and if so takes the turn, so that one caller a second asks.
func (c *locationCache) due(now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if now.Sub(c.checked) < locationCheckEvery && !now.Before(c.checked) {
		return false
	}
	c.checked = now
	return true
}

// seen notes the database's generation, forgetting every entry when it
// moved (or could not be read).
func (c *locationCache) seen(generation int64, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil || generation != c.generation {
		c.entries, c.generation = nil, generation
	}
}

func (c *locationCache) put(key string, l *Location, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) > 10_000 {
		c.entries = map[string]cachedLocation{}
	}
	c.entries[key] = cachedLocation{loc: l, expires: now.Add(locationTTL)}
}

// cachedLocation looks a location up through the cache.
func (s *Service) cachedLocation(ctx context.Context, key string, find func() (*Location, error)) (*Location, error) {
	now := time.Now()
	if s.locations.due(now) {
		s.locations.seen(s.Store.LocationGeneration(ctx))
	}
	if l := s.locations.get(key, now); l != nil {
		return l, nil
	}
	l, err := find()
	if err == nil {
		s.locations.put(key, l, now)
	}
	return l, err
}

func (s *Service) locationByCode(ctx context.Context, code string) (*Location, error) {
	return s.cachedLocation(ctx, "code:"+code, func() (*Location, error) { return s.Store.FindLocationByCode(ctx, code) })
}

func (s *Service) locationByBarcode(ctx context.Context, barcode string) (*Location, error) {
	return s.cachedLocation(ctx, "barcode:"+barcode, func() (*Location, error) { return s.Store.FindLocationByBarcode(ctx, barcode) })
}
