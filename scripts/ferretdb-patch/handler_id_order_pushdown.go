// Added to FerretDB v1.24.2 by reviewgraph's scripts/build-embedded.mjs (not part of upstream).

package handler

import "github.com/FerretDB/FerretDB/internal/types"

// idOrderPushdown returns the find's sort on `_id` (1, -1, or 0 for no sort) and its limit, which a
// backend may serve from its `_id` index when it translates the whole filter exactly; (0, 0) otherwise.
// The handler still filters, sorts and limits what the backend returns.
func idOrderPushdown(disabled bool, sort *types.Document, skip, limit int64) (int64, int64) {
	if disabled || skip != 0 || limit <= 0 {
		return 0, 0
	}

	switch sort.Len() {
	case 0:
		return 0, limit
	case 1:
		if sort.Keys()[0] != "_id" {
			return 0, 0
		}

		if d, ok := sort.Values()[0].(int64); ok && (d == 1 || d == -1) {
			return d, limit
		}
	}

	return 0, 0
}
