package main

import (
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// FerretDB creates a collection in two statements that are not one transaction: CREATE TABLE, then
// the row naming that table in _ferretdb_collections. A kill between the two leaves a table no
// collection owns, and the next creation of that collection picks the same table name and fails
// for good ("table ... already exists"): every insert into it fails until someone drops the table.
// No document can have reached such a table (FerretDB writes only through its metadata), so an empty
// one is dropped; one with rows is left alone and reported.

// dropOrphanTables drops, in each database file under dir, the empty tables that no collection owns.
func dropOrphanTables(dir string) error {
	files, err := filepath.Glob(filepath.Join(dir, "*.sqlite"))
	if err != nil {
		return failf("cannot list %s: %v", dir, err)
	}
	for _, file := range files {
		if err := dropOrphanTablesIn(file); err != nil {
			return failf("database file %s cannot be checked: %v", file, err)
		}
	}
	return nil
}

func dropOrphanTablesIn(file string) error {
	uri := (&url.URL{Scheme: "file", Opaque: file, RawQuery: "_pragma=busy_timeout(10000)&_pragma=journal_mode(wal)"}).String()
	db, err := sql.Open("sqlite", uri)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)

	tables, err := queryStrings(db, `SELECT name FROM sqlite_master WHERE type = 'table'`)
	if err != nil {
		return err
	}
	const metadataTable = "_ferretdb_collections"
	hasMetadata := false
	for _, t := range tables {
		hasMetadata = hasMetadata || t == metadataTable
	}
	if !hasMetadata {
		return nil // not initialised: setAsideUnfinishedDatabases or FerretDB itself deals with it
	}
	owned, err := queryStrings(db, fmt.Sprintf(`SELECT table_name FROM %q`, metadataTable))
	if err != nil {
		return err
	}
	isOwned := make(map[string]bool, len(owned))
	for _, t := range owned {
		isOwned[t] = true
	}
	for _, t := range tables {
		if isOwned[t] || strings.HasPrefix(t, "_ferretdb_") || strings.HasPrefix(t, "sqlite_") {
			continue
		}
		var rows int
		if err := db.QueryRow(fmt.Sprintf(`SELECT COUNT(*) FROM (SELECT 1 FROM %q LIMIT 1)`, t)).Scan(&rows); err != nil {
			return err
		}
		if rows > 0 {
			fmt.Fprintf(os.Stderr, "embedded: warning: %s: table %s holds documents but no collection owns it; left as it is\n", filepath.Base(file), t)
			continue
		}
		if _, err := db.Exec(fmt.Sprintf(`DROP TABLE %q`, t)); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "embedded: note: %s: dropped empty table %s, left by a collection creation the launcher was killed in\n", filepath.Base(file), t)
	}
	return nil
}

func queryStrings(db *sql.DB, query string) ([]string, error) {
	rows, err := db.Query(query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
