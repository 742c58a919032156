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

// locationCache remembers locations found by code or barcode. Cached
// locations are shared between requests and must not be modified.
type locationCache struct {
	mu      sync.Mutex
	entries map[string]cachedLocation
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

// clear forgets every location, after one has changed.
func (c *locationCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries = nil
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
