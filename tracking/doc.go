// Package tracking is the domain of casetrack: patients, casenote volumes,
// locations, movements and scans, and the rules that keep them consistent.
//
// It imports only the standard library so that the rules can be read and
// tested without a web framework or a database; package db implements the
// Store it needs and package web drives it over HTTP.
package tracking
