// Added to FerretDB v1.24.2 by reviewgraph's scripts/build-embedded.mjs (not part of upstream).

package handler

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/mongo"

	"github.com/FerretDB/FerretDB/internal/backends"
	"github.com/FerretDB/FerretDB/internal/handler/handlererrors"
	"github.com/FerretDB/FerretDB/internal/types"
	"github.com/FerretDB/FerretDB/internal/util/lazyerrors"
)

// insertTransactionSize is how many documents of an `insert` command go into one backend
// transaction. Upstream used the backend's statement batch size (100), so an insert of 500
// documents was five SQLite transactions, each one a write-ahead-log sync; the backend still splits
// a transaction into statements of 100 rows.
const insertTransactionSize = 1000

const insertOneByOneBelow = 16

// insertSplitting inserts docs (their indexes in the command: indexes) in one transaction. When
// that fails on a duplicate `_id`, it inserts each half the same way, down to runs of
// insertOneByOneBelow documents tried one at a time, which finds the duplicates: a thousand
// documents with one duplicate cost about thirty transactions rather than upstream's one per
// document, and a batch of duplicates (a resubmission) about as many as upstream. Ordered inserts
// stop at their first duplicate, as MongoDB's do. Other errors end the command, as upstream.
func insertSplitting(ctx context.Context, c backends.Collection, docs []*types.Document, indexes []int, ordered bool, db, collection string) (int32, []*mongo.WriteError, error) {
	_, err := c.InsertAll(ctx, &backends.InsertAllParams{Docs: docs})
	if err == nil {
		return int32(len(docs)), nil, nil
	}

	if !backends.ErrorCodeIs(err, backends.ErrorCodeInsertDuplicateID) {
		return 0, nil, lazyerrors.Error(err)
	}

	if len(docs) <= insertOneByOneBelow {
		var inserted int32
		var writeErrors []*mongo.WriteError

		for i, doc := range docs {
			if len(docs) > 1 {
				if _, err = c.InsertAll(ctx, &backends.InsertAllParams{Docs: []*types.Document{doc}}); err == nil {
					inserted++
					continue
				}

				if !backends.ErrorCodeIs(err, backends.ErrorCodeInsertDuplicateID) {
					return inserted, writeErrors, lazyerrors.Error(err)
				}
			}

			writeErrors = append(writeErrors, &mongo.WriteError{
				Index:   indexes[i],
				Code:    int(handlererrors.ErrDuplicateKeyInsert),
				Message: fmt.Sprintf(`E11000 duplicate key error collection: %s.%s`, db, collection),
			})

			if ordered {
				break
			}
		}

		return inserted, writeErrors, nil
	}

	mid := len(docs) / 2

	inserted, writeErrors, err := insertSplitting(ctx, c, docs[:mid], indexes[:mid], ordered, db, collection)
	if err != nil || (ordered && len(writeErrors) > 0) {
		return inserted, writeErrors, err
	}

	more, moreErrors, err := insertSplitting(ctx, c, docs[mid:], indexes[mid:], ordered, db, collection)

	return inserted + more, append(writeErrors, moreErrors...), err
}
