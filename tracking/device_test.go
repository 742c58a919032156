package tracking

import (
	"context"
	"testing"
)

// Who may scan as a device: a device token as itself only; anyone else
// any device no device token owns.
func TestCheckDevice(t *testing.T) {
	t.Parallel()
	dock := Actor{Name: "ward7-dock", Role: RoleDevice, Kind: ActorToken}
	jo := Actor{Name: "jo", Role: RolePorter, Kind: ActorUser}
	app := Actor{Name: "ward-app", Role: RoleLibrary, Kind: ActorToken}
	tcp := Actor{Name: "tcp:dock", Role: RoleDevice, Kind: ActorSystem}
	tests := []struct {
		name   string
		actor  Actor
		device string
		owned  bool
		ok     bool
	}{
		{"DeviceTokenAsItself", dock, "ward7-dock", true, true},
		{"ErrDeviceTokenAsAnotherOwned", dock, "ward9-dock", true, false},
		{"ErrDeviceTokenAsAnotherFree", dock, "station-1", false, false},
		{"ErrDeviceTokenOtherCase", dock, "WARD7-DOCK", false, false},
		{"UserFreeDevice", jo, "station-1", false, true},
		{"ErrUserOwnedDevice", jo, "ward7-dock", true, false},
		{"ErrOtherTokenOwnedDevice", app, "ward7-dock", true, false},
		{"OtherTokenFreeDevice", app, "station-1", false, true},
		{"ErrListenerOwnedDevice", tcp, "ward7-dock", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckDevice(tt.actor, tt.device, tt.owned)
			if (err == nil) != tt.ok || err != nil && ErrorCode(err) != EFORBIDDEN {
				t.Errorf("CheckDevice(%s, %s, owned %v) = %v, want ok %v or EFORBIDDEN", tt.actor.Name, tt.device, tt.owned, err, tt.ok)
			}
		})
	}
}

// A device token's device is its own: its scans are booked as it when
// they name none, a porter naming it is refused with nothing stored and
// its context unchanged (a whole batch too), and once the token is
// revoked the name is free.
func TestDeviceTokenOwnsItsDevice(t *testing.T) {
	t.Parallel()
	f := newScanFixture(t)
	ctx := context.Background()
	ann := Actor{Name: "ann", Role: RoleAdmin, Kind: ActorUser}
	if _, _, err := f.s.CreateToken(ctx, ann, "ward7-dock", RoleDevice); err != nil {
		t.Fatal(err)
	}
	dock := Actor{Name: "ward7-dock", Role: RoleDevice, Kind: ActorToken}
	jo := Actor{Name: "jo", Role: RolePorter, Kind: ActorUser}
	rec, err := f.s.RecordScan(ctx, dock, Scan{ScanID: "d1", Barcode: LocationBarcode(2)})
	if err != nil || rec.Scan.Device != "ward7-dock" || answer(t, rec.Response).Result != ResultLocationSet {
		t.Fatalf("the dock scans WARD7 naming no device: %+v, %v", rec, err)
	}
	stored := len(f.m.scans)
	refused := []struct {
		name  string
		scans []Scan
	}{
		{"SetItsContext", []Scan{{ScanID: "p1", Barcode: LocationBarcode(3), Device: "ward7-dock"}}},
		{"UseItsContext", []Scan{{ScanID: "p2", Barcode: f.vol.Barcode, Device: "ward7-dock"}}},
		{"BatchWithOneSlotNamingIt", []Scan{{ScanID: "p3", Barcode: f.vol.Barcode, Location: "WARD9", Device: "station-1"},
			{ScanID: "p4", Barcode: LocationBarcode(3), Device: "ward7-dock"}}},
	}
	for _, r := range refused {
		if _, _, err := f.s.RecordScans(ctx, jo, r.scans); ErrorCode(err) != EFORBIDDEN {
			t.Errorf("%s: %v, want EFORBIDDEN", r.name, err)
		}
	}
	if _, err := f.s.FindDeviceContext(ctx, jo, "ward7-dock"); ErrorCode(err) != EFORBIDDEN {
		t.Errorf("jo reads the dock's context: %v, want EFORBIDDEN", err)
	}
	if dc, err := f.s.FindDeviceContext(ctx, dock, "ward7-dock"); err != nil || dc.Location.Code != "WARD7" || len(f.m.scans) != stored {
		t.Fatalf("after refusals: context %+v, %v, %d scans stored (was %d); want WARD7, nothing stored", dc, err, len(f.m.scans), stored)
	}
	if _, err := f.s.RecordScan(ctx, dock, Scan{ScanID: "d2", Barcode: f.vol.Barcode, Device: "station-1"}); ErrorCode(err) != EFORBIDDEN {
		t.Errorf("the dock names another device: %v, want EFORBIDDEN", err)
	}
	if err := f.s.RevokeToken(ctx, ann, "ward7-dock"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.RecordScan(ctx, jo, Scan{ScanID: "p5", Barcode: LocationBarcode(3), Device: "ward7-dock"}); err != nil {
		t.Errorf("jo names the device of a revoked token: %v, want allowed", err)
	}
}

// Which devices are owned is read once per TokenTTL, and only for scans
// that name a device from something other than a device token: a scan
// costs no query for it.
func TestDeviceOwnersAreCached(t *testing.T) {
	t.Parallel()
	f := newScanFixture(t)
	ctx := context.Background()
	jo := Actor{Name: "jo", Role: RolePorter, Kind: ActorUser}
	dock := Actor{Name: "ward7-dock", Role: RoleDevice, Kind: ActorToken}
	for i := range 5 {
		sc := Scan{ScanID: "s" + string(rune('0'+i)), Barcode: f.vol.Barcode, Location: "WARD7", Device: "station-1"}
		if _, err := f.s.RecordScan(ctx, jo, sc); err != nil {
			t.Fatal(err)
		}
		sc.ScanID, sc.Device = "d"+sc.ScanID, ""
		if _, err := f.s.RecordScan(ctx, dock, sc); err != nil {
			t.Fatal(err)
		}
	}
	if n := f.m.reads["device tokens"]; n != 1 {
		t.Errorf("device tokens read %d times for 10 scans within TokenTTL, want once", n)
	}
}
