// Added to FerretDB v1.24.2 by reviewgraph's scripts/build-embedded.mjs (not part of upstream).

package handler

import (
	"context"
	"sync"
)

// collectionWriteLocks holds one lock per database and collection, taken by each `update`,
// `findAndModify` and `delete` statement from its query to its write.
//
// Upstream queries the matching documents and then writes them back (or deletes them) by `_id` in
// a separate backend call, with no transaction across the two: concurrent statements guarded by the
// same condition all read the document before any wrote it, and all reported success (and
// concurrent `$inc`s overwrote each other). The backend's Collection interface has no transaction
// spanning a query and a write, and one process owns the SQLite files, so the statements on a
// collection are serialised here: each one reads what the previous one committed.
var collectionWriteLocks sync.Map // "db\x00collection" -> chan struct{} (capacity 1)

// lockCollectionWrites waits for the collection's lock, or for ctx to end; the returned function
// releases it.
func lockCollectionWrites(ctx context.Context, db, collection string) (func(), error) {
	v, _ := collectionWriteLocks.LoadOrStore(db+"\x00"+collection, make(chan struct{}, 1))
	lock := v.(chan struct{})

	select {
	case lock <- struct{}{}:
		return func() { <-lock }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
