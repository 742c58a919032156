package db

import (
	"fmt"
	"sync"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// statementJournalSpill is how much of a statement's journal SQLite keeps
// in memory before writing it to a temporary file. A statement that writes
// many rows inside a transaction keeps the pages it changes in a
// statement journal, so that a failure can undo that statement alone; a
// chunk of scans changes a few hundred scattered index pages, 2 to 3 MiB,
// and SQLite's default of 64 KiB sent nearly all of them to a file, two
// write calls a page: a tenth of a SQLite batch's time. The memory is only
// taken while such a statement runs, and only as far as it is used.
const statementJournalSpill = 16 << 20

// sqliteSettings makes SQLite's process-wide settings once, when the first
// SQLite database is opened: a process on PostgreSQL never touches them.
// It returns why they could not be made, if they could not; SQLite then
// runs with its defaults, only slower.
var sqliteSettings = sync.OnceValue(configureSQLite)

// configureSQLite makes SQLite's process-wide settings. They must be made
// before SQLite opens its first connection in the process: SQLite refuses
// them afterwards.
func configureSQLite() error {
	tls := libc.NewTLS()
	defer tls.Close()
	va := libc.Xmalloc(tls, 8)
	if va == 0 {
		return fmt.Errorf("configure SQLite: out of memory")
	}
	defer libc.Xfree(tls, va)
	rc := sqlite3.Xsqlite3_config(tls, sqlite3.SQLITE_CONFIG_STMTJRNL_SPILL, libc.VaList(va, int32(statementJournalSpill)))
	if rc != sqlite3.SQLITE_OK {
		return fmt.Errorf("configure SQLite's statement journal: result code %d", rc)
	}
	return nil
}
