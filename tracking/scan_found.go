package tracking

// decideMove decides a scan booking the track's volume with the effects
// its status and its sweep add to the movement itself: a volume no scan
// may move (destroyed or amalgamated since the scan was resolved) is
// refused; a sweep scan of a volume inside the swept location leaves it
// there; a missing volume the scan books is found.
func (t *volumeTrack) decideMove(r *ScanRecord, h History) error {
	if t.refuses(r) {
		return nil
	}
	if err := t.keepInsideSweep(r, h); err != nil {
		return err
	}
	if err := t.decide(r, h); err != nil {
		return err
	}
	t.noteFound(r)
	noteSighting(r)
	return nil
}

// refuses answers a scan of a volume whose status, read under lock, no
// scan may move: it was destroyed or amalgamated after the scan was
// resolved. Nothing moves.
func (t *volumeTrack) refuses(r *ScanRecord) bool {
	if t.status == "" || Movable(t.status) {
		return false
	}
	v := *r.Volume
	v.Status = t.status
	r.Result.Result, r.Result.Volume, r.Result.Location = ResultRejected, &v, nil
	addMessage(&r.Result, "This volume has just been recorded as "+string(t.status)+"; nothing was moved.")
	return true
}

// noteFound finds a missing volume that a scan in time order books
// (moved or already here; a late scan changes nothing about where it is
// now): it is active again, the answer says found, and the store writes
// the end of its search into its status history. The answer shows the
// volume's status as the scan leaves it.
func (t *volumeTrack) noteFound(r *ScanRecord) {
	res := r.Result.Result
	if t.status == StatusMissing && (res == ResultMoved || res == ResultAlreadyHere) {
		t.status = StatusActive
		r.Effects.Found, r.Result.Found = true, true
		addMessage(&r.Result, "FOUND: this volume was recorded as missing and is now active again.")
	}
	if t.status != "" {
		r.Result.Volume.Status = t.status
	}
}

// mayBeFound reports whether a scan may find a missing volume, which a
// store's single-statement fast path leaves to the locked path.
func mayBeFound(r *ScanRecord) bool { return r.Moves() && r.Volume.Status == StatusMissing }

// FoundNote is the status history note of a volume a scan found.
func FoundNote(r *ScanRecord) string {
	if r.Target == nil {
		return "Found by a scan."
	}
	return "Found by a scan at " + r.Target.Code + "."
}
