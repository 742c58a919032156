package tracking

import "strconv"

// RelabelNotice tells whoever holds a folder that its label is out of
// date: its patient's records were merged and the merge's folders are
// not yet relabelled and filed with the survivor's (SAFETY.md H05). Scans
// keep warning until the merge's task is marked done on /merges.
type RelabelNotice struct {
	// Merge is the merge whose task is open (/labels?merge=ID prints the
	// new labels).
	Merge   int64  `json:"merge"`
	Message string `json:"message"`
}

// relabelNotice is the notice a scan's answer carries for its volume: a
// scan that books it (moved or already here) while an open merge lists
// it as a folder to relabel (Volume.RelabelMerge, read with the volume).
// A late, refused or repeated scan carries none.
func relabelNotice(res Result, v *Volume) *RelabelNotice {
	if v == nil || v.RelabelMerge == 0 || res != ResultMoved && res != ResultAlreadyHere {
		return nil
	}
	msg := "RELABEL: records were merged"
	if v.Patient != nil && v.Patient.HospitalNumber != "" {
		msg = "RELABEL: this folder's patient was merged into " + v.Patient.HospitalNumber
	}
	msg += " and its label is out of date: print its new label (Vol " + strconv.Itoa(v.Number)
	if v.Count > 0 {
		msg += " of " + strconv.Itoa(v.Count)
	}
	return &RelabelNotice{Merge: v.RelabelMerge, Message: msg + ") and file it with the patient's other folders."}
}

func (n *RelabelNotice) appendJSON(b []byte) []byte {
	b = append(b, `{"merge":`...)
	b = strconv.AppendInt(b, n.Merge, 10)
	b = append(b, `,"message":`...)
	b = appendJSONString(b, n.Message)
	return append(b, '}')
}
