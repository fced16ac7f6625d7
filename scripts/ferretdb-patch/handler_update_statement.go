// Added to FerretDB v1.24.2 by reviewgraph's scripts/build-embedded.mjs (not part of upstream).

package handler

import (
	"context"

	"github.com/FerretDB/FerretDB/internal/backends"
	"github.com/FerretDB/FerretDB/internal/handler/common"
	"github.com/FerretDB/FerretDB/internal/util/iterator"
)

// updateStatement runs one statement of an `update` command. Its query is closed when the statement
// ends (upstream deferred every statement's close to the end of the command), so a command holds one
// backend connection for reading however many statements it has: the SQLite pool's 100 connections
// per database were used up by a command of 100 statements, which then waited forever, and so did
// every later command on that database.
func (h *Handler) updateStatement(ctx context.Context, c backends.Collection, u *common.Update) (*common.UpdateResult, error) {
	var qp backends.QueryParams
	if !h.DisablePushdown {
		qp.Filter = u.Filter
	}

	res, err := c.Query(ctx, &qp)
	if err != nil {
		return nil, err
	}

	closer := iterator.NewMultiCloser()
	defer closer.Close()

	closer.Add(res.Iter)

	iter := common.FilterIterator(res.Iter, closer, u.Filter)

	if !u.Multi {
		iter = common.LimitIterator(iter, closer, 1)
	}

	return common.UpdateDocument(ctx, c, "update", iter, u)
}
