// Package tracking is the domain of casetrack: patients, casenote volumes,
// locations, movements and scans, and the rules that keep them consistent.
//
// It imports only the standard library so that the rules can be read and
// tested without a web framework or a database; package db implements the
// Store it needs. Service is the one way in: package web, the commands and
// the TCP listener call it, never the Store. See ARCHITECTURE.md for where
// each rule lives.
package tracking
