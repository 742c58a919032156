package db

import (
	"context"
	"fmt"
	"time"

	"github.com/casetrack/casetrack/tracking"
)

// writeChunkSQL is the whole of a chunk's writes on PostgreSQL in one
// statement of fixed text (the extra "= ANY" keeps the volume update on
// its primary key however few rows the planner expects): every column travels as one array parameter and
// is unnested, so the statement is parsed and planned once per connection
// whatever the chunk's size, and a 500-scan chunk binds 34 parameters
// rather than thousands. The scans claim their ids first; a short claim
// means another transaction stored one of them, and the caller retries.
const writeChunkSQL = `WITH claim AS (
	INSERT INTO scans (scan_id, attempted_scan_id, raw, code_kind, code_value, result, device, channel, by_name,
		location_id, volume_id, scanned_at, received_at, message, response)
	SELECT * FROM unnest($1::text[], $1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
		$7::text[], $8::text[], $9::int8[], $10::int8[], $11::timestamptz[], $12::timestamptz[], $13::text[], $14::text[])
	ON CONFLICT (scan_id) DO NOTHING RETURNING 1
), moves AS (
	INSERT INTO movements (volume_id, to_location_id, scanned_at, received_at, by_name, device, channel, scan_id)
	SELECT * FROM unnest($15::int8[], $16::int8[], $17::timestamptz[], $18::timestamptz[], $19::text[], $20::text[],
		$21::text[], $22::text[])
), positions AS (
	UPDATE volumes AS v SET current_location_id = u.loc, current_since = u.since, last_scanned_at = u.last
	FROM unnest($23::int8[], $24::int8[], $25::timestamptz[], $26::timestamptz[]) AS u(id, loc, since, last)
	WHERE v.id = u.id AND v.id = ANY($23::int8[])
), reads AS (
	INSERT INTO access_log (at, actor, role, action, patient_id, detail, actor_kind)
	SELECT * FROM unnest($27::timestamptz[], $28::text[], $29::text[], $30::text[], $31::int8[], $32::text[],
		$33::text[])
)
SELECT count(*) FROM claim`

// columns gathers a chunk's rows column by column.
type columns struct {
	scanID, raw, kind, value, result, device, channel, by, message, response []string
	locationID, volumeID                                                     []*int64
	scannedAt, receivedAt                                                    []time.Time

	mVolume, mTo           []int64
	mAt, mReceived         []time.Time
	mBy, mDevice, mChannel []string
	mScanID                []string
	uID, uLoc              []int64
	uSince, uLast          []time.Time
	aAt                    []time.Time
	aActor, aRole, aAction []string
	aPatient               []int64
	aDetail, aKind         []string
}

func (c *columns) addScan(r *tracking.ScanRecord) {
	c.scanID = append(c.scanID, tracking.StorableText(r.Scan.ScanID))
	c.raw = append(c.raw, tracking.StorableText(r.Raw))
	c.kind = append(c.kind, string(r.Code.Kind))
	c.value = append(c.value, tracking.StorableText(r.Code.Value))
	c.result = append(c.result, string(r.Result.Result))
	c.device = append(c.device, tracking.StorableText(r.Scan.Device))
	c.channel = append(c.channel, r.Scan.Channel)
	c.by = append(c.by, r.Scan.By)
	c.locationID = append(c.locationID, locationIDOf(r.Result.Location))
	c.volumeID = append(c.volumeID, volumeIDOf(r.Result.Volume))
	c.scannedAt = append(c.scannedAt, r.Scan.ScannedAt.UTC())
	c.receivedAt = append(c.receivedAt, r.ReceivedAt.UTC())
	c.message = append(c.message, r.Result.Message)
	c.response = append(c.response, string(r.Response))
}

func (c *columns) addMovement(r *tracking.ScanRecord) {
	c.mVolume = append(c.mVolume, r.Volume.ID)
	c.mTo = append(c.mTo, r.Target.ID)
	c.mAt = append(c.mAt, r.Scan.ScannedAt.UTC())
	c.mReceived = append(c.mReceived, r.ReceivedAt.UTC())
	c.mBy = append(c.mBy, r.Scan.By)
	c.mDevice = append(c.mDevice, r.Scan.Device)
	c.mChannel = append(c.mChannel, r.Scan.Channel)
	c.mScanID = append(c.mScanID, r.Scan.ScanID)
}

func (c *columns) addPosition(v tracking.VolumeChange) {
	c.uID = append(c.uID, v.ID)
	c.uLoc = append(c.uLoc, v.State.CurrentID)
	c.uSince = append(c.uSince, v.State.Since.UTC())
	c.uLast = append(c.uLast, v.State.LastScanAt.UTC())
}

func (c *columns) addRead(r *tracking.ScanRecord) {
	c.aAt = append(c.aAt, r.ReceivedAt.UTC())
	c.aActor = append(c.aActor, r.Scan.By)
	c.aRole = append(c.aRole, string(r.Scan.Role))
	c.aAction = append(c.aAction, "scan")
	c.aPatient = append(c.aPatient, r.Effects.ReadPatientID)
	c.aDetail = append(c.aDetail, r.Scan.ScanID)
	c.aKind = append(c.aKind, string(r.Scan.ActorKind))
}

func (c *columns) args() []any {
	return []any{c.scanID, c.raw, c.kind, c.value, c.result, c.device, c.channel, c.by, c.locationID, c.volumeID,
		c.scannedAt, c.receivedAt, c.message, c.response,
		c.mVolume, c.mTo, c.mAt, c.mReceived, c.mBy, c.mDevice, c.mChannel, c.mScanID,
		c.uID, c.uLoc, c.uSince, c.uLast,
		c.aAt, c.aActor, c.aRole, c.aAction, c.aPatient, c.aDetail, c.aKind}
}

// insertPostgres writes the chunk with writeChunkSQL, straight through the
// transaction's connection so that pgx encodes the Go slices as arrays.
func (w *chunkWriter) insertPostgres(ctx context.Context, claimed []*tracking.ScanRecord) error {
	var c columns
	for _, r := range claimed {
		c.addScan(r)
		if r.Effects.Move {
			c.addMovement(r)
		}
		if r.Effects.ReadPatientID != 0 {
			c.addRead(r)
		}
	}
	for _, v := range w.decision.Changed() {
		c.addPosition(v)
	}
	var n int
	if err := w.tx.Statement.ConnPool.QueryRowContext(ctx, writeChunkSQL, c.args()...).Scan(&n); err != nil {
		return fmt.Errorf("write scans: %w", err)
	}
	if n != len(claimed) {
		return errScanIDRace
	}
	return nil
}
