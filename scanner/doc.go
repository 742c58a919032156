// Package scanner turns what a device sends into what it means: the raw text
// a keyboard wedge, handheld app or dock produces (with its AIM prefixes, GS1
// separators, line ends and control junk), a photo or webcam frame holding
// one or more barcodes, or a memory scanner's export file.
//
// It is pure: no HTTP and no database, only tracking's types, so every odd
// thing a real scanner does can be pinned down in a table test and fuzzed.
// Package web calls it and hands the results to tracking.Service.
package scanner
