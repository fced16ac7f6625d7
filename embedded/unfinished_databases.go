package main

import (
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"time"

	_ "modernc.org/sqlite" // the SQLite driver FerretDB itself uses
)

// FerretDB creates a database in two steps: the SQLite file, then (a separate statement) its
// metadata table. A kill between the two leaves a file without that table, and FerretDB then
// refuses to start at all ("no such table: _ferretdb_collections"). Such a file never held a
// collection, so nothing is lost by setting it aside; anything else is left for FerretDB to judge.

// setAsideUnfinishedDatabases renames each database file under dir that has no table at all
// (with its -wal and -shm files) to <name>.sqlite.unfinished-<unix time>, and says so on stderr.
func setAsideUnfinishedDatabases(dir string) error {
	files, err := filepath.Glob(filepath.Join(dir, "*.sqlite"))
	if err != nil {
		return failf("cannot list %s: %v", dir, err)
	}
	for _, file := range files {
		tables, err := tableNames(file)
		if err != nil {
			return failf("database file %s cannot be read: %v", file, err)
		}
		if len(tables) > 0 {
			continue // FerretDB's own start checks the rest
		}
		suffix := ".unfinished-" + strconv.FormatInt(time.Now().Unix(), 10)
		for _, part := range []string{"", "-wal", "-shm"} {
			if err := os.Rename(file+part, file+suffix+part); err != nil && !os.IsNotExist(err) {
				return failf("cannot set aside unfinished database %s: %v", file, err)
			}
		}
		fmt.Fprintf(os.Stderr, "embedded: note: %s was created but never initialised (the launcher was killed while creating it); set aside as %s\n", filepath.Base(file), filepath.Base(file)+suffix)
	}
	return nil
}

// tableNames opens a database file the way FerretDB does (recovering its WAL) and lists its tables.
func tableNames(file string) ([]string, error) {
	uri := (&url.URL{Scheme: "file", Opaque: file, RawQuery: "_pragma=busy_timeout(10000)&_pragma=journal_mode(wal)"}).String()
	db, err := sql.Open("sqlite", uri)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	return queryStrings(db, `SELECT name FROM sqlite_master WHERE type = 'table'`)
}
