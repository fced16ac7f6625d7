// Added to FerretDB v1.24.2 by reviewgraph's scripts/build-embedded.mjs (not part of upstream).
//
// Which part of a filter the SQLite backend serves from the unique `_id` index, whose expression is
// metadata.IDColumn (`_ferretdb_sjson->"_id"`): the JSON text of the `_id` value, compared as TEXT
// with the BINARY collation (memcmp).
//
// Filtering: equality, `$eq` and `$in` on strings and ObjectIDs compare JSON texts, which is exact
// because each value has one JSON text (the same encoder writes the document and the argument).
// The handler still applies the whole filter to what the backend returns, so every condition here
// only has to select a superset of the matching documents; it is exact when the filter holds `_id`
// alone and every one of its operators was translated.
//
// Ordering: `$gt $gte $lt $lte` with a string bound are pushed down, and then (when exact) the
// find's `sort` on `_id` and its `limit`. For strings, MongoDB compares the UTF-8 bytes; the index
// compares the JSON texts `"` + s + `"`. The two orders agree for strings made of the bytes 0x23–0x7E
// other than `\`, `<`, `>` and `&` (safeIDString): such strings are written without escapes, and when
// one is a proper prefix of the other, the shorter's closing quote (0x22) sorts before any of those
// bytes, as the end of a string sorts before any byte in MongoDB. Bounds outside that alphabet are not
// pushed down. Every JSON text of a string starts with `"`; ObjectIDs (hex) and binary data (base64)
// are stored as JSON strings too, so an exact condition also checks the `_id` type recorded in the
// document's schema, which keeps the type bracketing of MongoDB's comparison operators (a string
// bound matches strings only); the range stays on the index and the check on the rows it reads. Stored `_id` strings outside that alphabet inside a pushed-down range may be ordered
// differently from MongoDB; reviewgraph writes only keys of that alphabet (lib/list-key.ts).
package sqlite

import (
	"fmt"
	"strings"

	"github.com/FerretDB/FerretDB/internal/backends/sqlite/metadata"
	"github.com/FerretDB/FerretDB/internal/handler/sjson"
	"github.com/FerretDB/FerretDB/internal/types"
	"github.com/FerretDB/FerretDB/internal/util/must"
)

// idTypeColumn is the BSON type of `_id` as FerretDB's schema of each document records it.
const idTypeColumn = metadata.DefaultColumn + `->>'$."$s".p._id.t'`

// maxIDsInPushdown bounds the `$in` list bound as SQL parameters (SQLite allows 32,766).
const maxIDsInPushdown = 10_000

// idPushdown is the SQL the `_id` index serves for one query.
type idPushdown struct {
	where string // " WHERE …" or ""
	args  []any
	// exact: the SQL condition selects exactly the documents the whole filter matches.
	exact bool
	// stringRange: the condition holds only strings of a range with safe bounds, so index order is MongoDB's order.
	stringRange bool
}

// safeIDString reports whether s is written in JSON without escapes and sorts by its JSON text as by its bytes.
func safeIDString(s string) bool {
	for i := 0; i < len(s); i++ {
		b := s[i]
		if b < 0x23 || b > 0x7e || b == '\\' || b == '<' || b == '>' || b == '&' {
			return false
		}
	}

	return true
}

func idArg(v any) string {
	return string(must.NotFail(sjson.MarshalSingleValue(v)))
}

// prepareIDPushdown translates the `_id` part of filter.
func prepareIDPushdown(filter *types.Document) idPushdown {
	var pd idPushdown

	if filter.Len() == 0 {
		return pd
	}

	v, err := filter.Get("_id")
	if err != nil {
		return pd
	}

	var conds []string
	exact := filter.Len() == 1
	valueTypes := map[string]bool{} // the BSON types of the values the conditions compare with

	note := func(v any) {
		switch v.(type) {
		case string:
			valueTypes["string"] = true
		case types.ObjectID:
			valueTypes["objectId"] = true
		}
	}

	switch v := v.(type) {
	case string, types.ObjectID:
		conds = append(conds, metadata.IDColumn+" = ?")
		pd.args = append(pd.args, idArg(v))
		note(v)

	case *types.Document:
		var lower, upper bool

		for _, op := range v.Keys() {
			if !strings.HasPrefix(op, "$") {
				// equality with a document
				return idPushdown{}
			}
		}

		for _, op := range v.Keys() {
			arg := must.NotFail(v.Get(op))

			switch op {
			case "$eq":
				switch arg.(type) {
				case string, types.ObjectID:
					conds = append(conds, metadata.IDColumn+" = ?")
					pd.args = append(pd.args, idArg(arg))
					note(arg)
				default:
					exact = false
				}

			case "$in":
				arr, ok := arg.(*types.Array)
				if !ok || arr.Len() == 0 || arr.Len() > maxIDsInPushdown {
					exact = false
					continue
				}

				placeholders := make([]string, 0, arr.Len())
				args := make([]any, 0, arr.Len())

				for i := 0; i < arr.Len(); i++ {
					switch e := must.NotFail(arr.Get(i)).(type) {
					case string, types.ObjectID:
						placeholders = append(placeholders, "?")
						args = append(args, idArg(e))
						note(e)
					}
				}

				if len(placeholders) != arr.Len() {
					// other types match by other rules (regular expressions, numbers of several types)
					exact = false
					continue
				}

				conds = append(conds, fmt.Sprintf("%s IN (%s)", metadata.IDColumn, strings.Join(placeholders, ", ")))
				pd.args = append(pd.args, args...)

			case "$gt", "$gte", "$lt", "$lte":
				s, ok := arg.(string)
				if !ok || !safeIDString(s) {
					exact = false
					continue
				}

				sqlOp := map[string]string{"$gt": ">", "$gte": ">=", "$lt": "<", "$lte": "<="}[op]
				conds = append(conds, fmt.Sprintf("%s %s ?", metadata.IDColumn, sqlOp))
				pd.args = append(pd.args, idArg(s))
				note(s)
				lower = lower || op == "$gt" || op == "$gte"
				upper = upper || op == "$lt" || op == "$lte"

			default:
				exact = false
			}
		}

		// A string bound matches strings only: every JSON text of a string starts with `"` (0x22), and
		// '#' is 0x23. Only a missing side is added, so that SQLite takes the given bound for its range.
		if lower && !upper {
			conds = append(conds, metadata.IDColumn+" < ?")
			pd.args = append(pd.args, `#`)
		}

		if upper && !lower {
			conds = append(conds, metadata.IDColumn+" >= ?")
			pd.args = append(pd.args, `"`)
		}

		pd.stringRange = lower || upper

	default:
		return pd
	}

	if len(conds) == 0 {
		return idPushdown{}
	}

	// ObjectIDs and binary data are stored as JSON strings too (hex, base64), and the type of each value
	// is in the document's schema: with it the condition keeps MongoDB's type bracketing exactly.
	if exact {
		if len(valueTypes) != 1 {
			exact = false
		} else {
			for t := range valueTypes {
				conds = append(conds, idTypeColumn+" = ?")
				pd.args = append(pd.args, t)
			}
		}
	}

	pd.where = " WHERE " + strings.Join(conds, " AND ")
	pd.exact = exact

	return pd
}

// prepareIDOrderAndLimit returns the ORDER BY and LIMIT the index serves for a find whose sort on
// `_id` (1, -1 or 0 for none) and limit (0 for none) the handler passed, or "" and 0.
func prepareIDOrderAndLimit(pd idPushdown, idSort, idLimit int64) (string, int64) {
	if !pd.exact || idLimit <= 0 {
		return "", 0
	}

	switch idSort {
	case 0:
		return "", idLimit
	case 1, -1:
		if !pd.stringRange {
			return "", 0
		}

		order := ""
		if idSort == -1 {
			order = " DESC"
		}

		return " ORDER BY " + metadata.IDColumn + order, idLimit
	default:
		return "", 0
	}
}
