// Package csvimport reads the CSV files a trust going live imports from
// its old systems (locations, patients, casenote volumes) into rows that
// have passed package tracking's rules, fast and in bounded memory, with
// every refused line reported by its line number, column and reason.
// Deciding and writing the rows is the Service's part (tracking.Import);
// Import is the loop between the two, a batch at a time.
//
// What a file may be:
//   - A header row first (blank lines before it are passed over). Column
//     names match ignoring case and surrounding spaces, with a space or a
//     hyphen read as an underscore; columns come in any order. Every
//     column of the kind must be in the header, even if all its cells are
//     empty, so that a misspelt column is one clear error for the file
//     rather than data silently dropped; other columns are ignored and
//     listed by Reader.Ignored, as PAS exports carry many.
//   - UTF-8, with or without a BOM, or Windows-1252: a file that is not
//     valid UTF-8 is read as Windows-1252 (see text for how a stream that
//     cannot seek decides). Text is stored in NFC.
//   - RFC 4180 quoting (commas, quotes and line ends inside quotes), CRLF
//     or LF line ends, spaces and tabs around values trimmed, blank lines
//     and lines of empty cells skipped. A line has exactly as many values
//     as the header has columns: a comma that should have been quoted
//     shifts values into the wrong columns, where they may pass every rule.
//   - Dates as YYYY-MM-DD or DD/MM/YYYY, or empty.
//
// Line numbers count the file's lines from 1, the header being line 1
// (or later, after blank lines); a record whose quoted value runs over
// several lines counts as the line it starts on. A bad line never stops
// the good ones; a file that cannot be an import at all (empty, no
// header, a spreadsheet, UTF-16) is one *LineError from the New function.
// Keys are unique within a file: a later line repeating a key is refused
// (see firstLines).
package csvimport
