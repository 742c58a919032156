// Package labels turns casenote volumes and locations into printable labels:
// PNG previews, PDF pages of A4 label sheets and ZPL for Zebra thermal
// printers, and sends ZPL to a printer over raw TCP (port 9100).
//
// A label is laid out once, in printer dots, by the same code for every
// output, so a preview looks like what prints. Barcodes are encoded here
// (boombuler/barcode) and drawn module by module with every bar a whole
// number of dots wide, because a scaled bar that falls between dots prints
// blurred and scans badly. Anything a patient's name contains is escaped or
// dropped before it reaches a printer language, so one label is always one
// label. Output is deterministic: the same input gives the same bytes.
//
// The package is pure: no HTTP and no database. The web layer calls Write,
// WriteSheet, WriteZPL and Send.
package labels
