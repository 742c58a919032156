package tracking

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// A device-role token is a device: it scans as the device of its own
// name, and no one else may scan as that device, read where it is
// booking to, or change it. Otherwise any porter or token naming a
// handheld could move its "booking to" and send its next folders to the
// wrong place. The device belongs to the token from the token's creation
// until it is revoked.

// CheckDevice decides whether actor a may scan as, or read the context
// of, the device named, given whether an active device token owns that
// name. A device token may name only its own device; anyone else any
// device that no device token owns.
func CheckDevice(a Actor, device string, owned bool) error {
	switch {
	case a.IsDeviceToken() && device != a.Name:
		return deviceForbidden("This token is the device %s and scans only as that device: leave device out, or send %q.",
			a.Name, a.Name)
	case a.IsDeviceToken():
		return nil
	case owned:
		return deviceForbidden("The device %s belongs to the device token of that name: only that device may scan as it or see where it is booking to.",
			device)
	}
	return nil
}

func deviceForbidden(format string, args ...any) *Error {
	return &Error{Code: EFORBIDDEN, Field: "device", Message: fmt.Sprintf(format, args...)}
}

// UploadDevice is the device a memory scanner's file uploaded by a is
// booked as when the upload names none: a device token's own, and for
// anyone else a device of the uploader's own ("batch:NAME").
func UploadDevice(a Actor) string {
	if a.IsDeviceToken() {
		return a.Name
	}
	return "batch:" + a.Name
}

// DeviceTokenStore is the part of Store that says which devices belong
// to device tokens.
type DeviceTokenStore interface {
	// FindDeviceTokenNames lists the names of device-role tokens not
	// revoked.
	FindDeviceTokenNames(ctx context.Context) ([]string, error)
}

// deviceOwners remembers the names of active device tokens for TokenTTL,
// as tokens themselves are: a scan then costs no query to check, and a
// token made or revoked on another instance counts there within TokenTTL
// (on this one at once). The list is read only for scans that name a
// device and come from something other than a device token.
type deviceOwners struct {
	mu      sync.Mutex
	names   map[string]bool
	expires time.Time
}

// owned reports whether a device token owns the device name.
func (o *deviceOwners) owned(ctx context.Context, store Store, name string, now time.Time) (bool, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.names == nil || !now.Before(o.expires) {
		names, err := store.FindDeviceTokenNames(ctx)
		if err != nil {
			return false, err
		}
		o.names = make(map[string]bool, len(names))
		for _, n := range names {
			o.names[n] = true
		}
		o.expires = now.Add(TokenTTL)
	}
	return o.names[name], nil
}

// forget makes the next check read the list again: this instance made or
// revoked a token.
func (o *deviceOwners) forget() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.names = nil
}

// checkDevices refuses the whole list (EFORBIDDEN, nothing stored) when
// any of its scans names a device actor a may not scan as (see
// CheckDevice). A batch is one device's upload: part of it stored and
// part refused would leave the device's context half moved.
func (s *Service) checkDevices(ctx context.Context, a Actor, scans []Scan) error {
	checked := map[string]bool{}
	for _, sc := range scans {
		if sc.Device == "" || checked[sc.Device] {
			continue
		}
		checked[sc.Device] = true
		if err := s.checkDevice(ctx, a, sc.Device); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) checkDevice(ctx context.Context, a Actor, device string) error {
	owned := false
	if !a.IsDeviceToken() {
		var err error
		if owned, err = s.devices.owned(ctx, s.Store, device, s.now()); err != nil {
			return err
		}
	}
	return CheckDevice(a, device, owned)
}

// FindDeviceContext returns where a device is booking its scans to, for
// actor a: a device token's device only to itself.
func (s *Service) FindDeviceContext(ctx context.Context, a Actor, device string) (*DeviceContext, error) {
	if err := s.checkDevice(ctx, a, device); err != nil {
		return nil, err
	}
	return s.Store.FindDeviceContext(ctx, device)
}
