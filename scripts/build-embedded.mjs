#!/usr/bin/env node
// npm postinstall: builds the embedded FerretDB + NATS JetStream launcher (embedded/, a Go module)
// into bin/reviewgraph-embedded. Plain Node, no dependencies.
//
// - skipped when REVIEWGRAPH_SKIP_EMBEDDED_BUILD=1, or when the binary is newer than every file in
//   embedded/ and than this script (which holds the patch below)
// - without Go on PATH it explains the alternatives and exits 0, so `npm install` itself succeeds
// - a failing `go build` prints its output and exits 1
//
// FerretDB is built with a source patch, applied to a copy of the module under bin/.patched that
// a generated go.mod `replace`s it with (the module cache and embedded/go.mod stay untouched).
// FerretDB 1.24's SQLite backend looks documents up by `_id` with the expression
// `_ferretdb_sjson->'$._id'`, while it creates its unique `_id` index on `_ferretdb_sjson->"_id"`.
// SQLite uses an expression index only for the same expression, so every find, update and delete
// by `_id` scanned the whole table (a point read cost 14 ms at 10,000 documents, 42 ms at 30,000).
// The patch makes the lookups use the index's own expression (both select the same JSON value),
// and also narrows by `_id` when the filter has other fields beside it (a version-checked update):
// FerretDB's handler applies the whole filter to what the backend returns in any case, so the
// backend's `_id` condition is only a pre-filter.
// Beyond equality, the backend serves from the same index `_id` with `$in` (a batch in one command)
// and `_id` ranges on strings (`$gt $gte $lt $lte`); when the filter is that `_id` condition alone,
// the find's sort on `_id` and its limit go down too, so a list stored under composite `_id` keys is
// an index range scan. Why the index order is MongoDB's order for those keys, and where it is not:
// scripts/ferretdb-patch/sqlite_id_pushdown.go.
// FerretDB's `update` handler deferred closing each statement's query to the end of the command, and
// the SQLite backend opens at most 100 connections per database: a command of 100 statements waited
// forever for one, and every later command on that database behind it. The patch runs each statement
// in a function of its own (scripts/ferretdb-patch/handler_update_statement.go), which closes its
// query when the statement ends; the statements, their counts, upserts and errors are upstream's.
// (`delete` closes each statement's query itself; `findAndModify` has one statement.)
// FerretDB's `insert` handler committed a command's documents in transactions of 100, each one a
// sync of SQLite's write-ahead log, and retried every document of a transaction that failed on a
// duplicate `_id` in a transaction of its own. The patch commits up to 1,000 documents per
// transaction and finds the duplicates of a failed one by halving it, down to runs of 16 tried one
// by one (scripts/ferretdb-patch/handler_insert_transaction.go); an ordered insert stops at its
// first duplicate, as on MongoDB (upstream went on with the next 100). An acknowledged insert is
// committed as before; there are only fewer commits.
// FerretDB's `update`, `findAndModify` and `delete` read the matching documents outside the
// transaction that writes them, so two guarded writes of one document could both win. The patch
// takes a lock per database and collection around each such statement, from its query to its write
// (scripts/ferretdb-patch/handler_collection_write_lock.go); one launcher process owns the files, so
// an in-process lock is enough.
//
// REVIEWGRAPH_EMBEDDED_OUT=path builds the launcher to another path (to try a patch without
// replacing the binary everyone's tests use); its patched copy goes beside it.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const thisScript = fileURLToPath(import.meta.url);
const root = resolve(dirname(thisScript), '..');
const srcDir = join(root, 'embedded');
const binDir = join(root, 'bin');
const patchSrcDir = join(root, 'scripts', 'ferretdb-patch');

const FERRETDB = 'github.com/FerretDB/FerretDB';
/**
 * Source edits per module: every occurrence of `from` becomes `to`, and there must be exactly
 * `count` of them; or `add`: a file of scripts/ferretdb-patch copied into the module as `file`.
 */
const lines = (...l) => l.join('\n');
const PATCHES = [
  { module: FERRETDB, file: 'internal/backends/sqlite/metadata/metadata.go', from: `IDColumn = DefaultColumn + "->'$._id'"`, to: 'IDColumn = DefaultColumn + `->"_id"`', count: 1 },
  // the find's sort on `_id` and limit, handed to the backend beside the filter
  { module: FERRETDB, file: 'internal/handler/id_order_pushdown.go', add: 'handler_id_order_pushdown.go' },
  { module: FERRETDB, file: 'internal/backends/collection.go', from: '\tLimit  int64\n\n\tOnlyRecordIDs bool', to: '\tLimit  int64\n\n\tIDSort  int64\n\tIDLimit int64\n\n\tOnlyRecordIDs bool', count: 1 },
  { module: FERRETDB, file: 'internal/backends/collection.go', from: 'type ExplainParams struct {\n\tFilter *types.Document\n\tSort   *types.Document\n\tLimit  int64\n', to: 'type ExplainParams struct {\n\tFilter *types.Document\n\tSort   *types.Document\n\tLimit  int64\n\n\tIDSort  int64\n\tIDLimit int64\n', count: 1 },
  ...['internal/handler/msg_find.go', 'internal/handler/msg_explain.go'].map((file) => ({
    module: FERRETDB,
    file,
    from: '\tif !h.DisablePushdown && params.Filter.Len() == 0 && params.Sort.Len() == 0 && params.Skip == 0 {',
    to: '\tqp.IDSort, qp.IDLimit = idOrderPushdown(h.DisablePushdown, params.Sort, params.Skip, params.Limit)\n\n\tif !h.DisablePushdown && params.Filter.Len() == 0 && params.Sort.Len() == 0 && params.Skip == 0 {',
    count: 1,
  })),
  // the backend: `_id` equality, `$in` and string ranges from the index, whatever else the filter holds
  { module: FERRETDB, file: 'internal/backends/sqlite/id_pushdown.go', add: 'sqlite_id_pushdown.go' },
  {
    module: FERRETDB,
    file: 'internal/backends/sqlite/collection.go',
    from: lines(
      '\tif params.Filter.Len() == 1 {',
      '\t\tv, _ := params.Filter.Get("_id")',
      '\t\tswitch v.(type) {',
      '\t\tcase string, types.ObjectID:',
      '\t\t\twhereClause = fmt.Sprintf(` WHERE %s = ?`, metadata.IDColumn)',
      '\t\t\targs = []any{string(must.NotFail(sjson.MarshalSingleValue(v)))}',
      '\t\t}',
      '\t}',
      '',
      '\tq += whereClause',
      '\tq += prepareOrderByClause(params.Sort)',
      '',
      '\tif params.Limit != 0 {',
      '\t\tq += ` LIMIT ?`',
      '\t\targs = append(args, params.Limit)',
      '\t}',
    ),
    to: lines(
      '\tpd := prepareIDPushdown(params.Filter)',
      '\twhereClause, args = pd.where, pd.args',
      '',
      '\torderByClause, limit := prepareOrderByClause(params.Sort), params.Limit',
      '\tif orderByClause == "" && limit == 0 {',
      '\t\torderByClause, limit = prepareIDOrderAndLimit(pd, params.IDSort, params.IDLimit)',
      '\t}',
      '',
      '\tq += whereClause',
      '\tq += orderByClause',
      '',
      '\tif limit != 0 {',
      '\t\tq += ` LIMIT ?`',
      '\t\targs = append(args, limit)',
      '\t}',
    ),
    count: 1,
  },
  {
    module: FERRETDB,
    file: 'internal/backends/sqlite/collection.go',
    from: lines(
      '\tif params.Filter.Len() == 1 {',
      '\t\tv, _ := params.Filter.Get("_id")',
      '\t\tswitch v.(type) {',
      '\t\tcase string, types.ObjectID:',
      '\t\t\tfilterPushdown = true',
      '\t\t\twhereClause = fmt.Sprintf(` WHERE %s = ?`, metadata.IDColumn)',
      '\t\t\targs = []any{string(must.NotFail(sjson.MarshalSingleValue(v)))}',
      '\t\t}',
      '\t}',
      '',
      '\torderByClause := prepareOrderByClause(params.Sort)',
      '\tsortPushdown := orderByClause != ""',
      '',
      '\tq := `EXPLAIN QUERY PLAN ` + selectClause + whereClause + orderByClause',
      '',
      '\tvar limitPushdown bool',
      '',
      '\tif params.Limit != 0 {',
      '\t\tq += ` LIMIT ?`',
      '\t\targs = append(args, params.Limit)',
      '\t\tlimitPushdown = true',
      '\t}',
    ),
    to: lines(
      '\tpd := prepareIDPushdown(params.Filter)',
      '\twhereClause, args, filterPushdown = pd.where, pd.args, pd.where != ""',
      '',
      '\torderByClause, limit := prepareOrderByClause(params.Sort), params.Limit',
      '\tif orderByClause == "" && limit == 0 {',
      '\t\torderByClause, limit = prepareIDOrderAndLimit(pd, params.IDSort, params.IDLimit)',
      '\t}',
      '',
      '\tsortPushdown := orderByClause != ""',
      '',
      '\tq := `EXPLAIN QUERY PLAN ` + selectClause + whereClause + orderByClause',
      '',
      '\tvar limitPushdown bool',
      '',
      '\tif limit != 0 {',
      '\t\tq += ` LIMIT ?`',
      '\t\targs = append(args, limit)',
      '\t\tlimitPushdown = true',
      '\t}',
    ),
    count: 1,
  },
  // each update statement's query closed when the statement ends, not when the command does
  { module: FERRETDB, file: 'internal/handler/update_statement.go', add: 'handler_update_statement.go' },
  {
    module: FERRETDB,
    file: 'internal/handler/msg_update.go',
    from: lines(
      '\t\tvar qp backends.QueryParams',
      '\t\tif !h.DisablePushdown {',
      '\t\t\tqp.Filter = u.Filter',
      '\t\t}',
      '',
      '\t\tres, err := c.Query(ctx, &qp)',
      '\t\tif err != nil {',
      '\t\t\treturn 0, 0, nil, lazyerrors.Error(err)',
      '\t\t}',
      '',
      '\t\tcloser := iterator.NewMultiCloser()',
      '\t\tdefer closer.Close()',
      '',
      '\t\tcloser.Add(res.Iter)',
      '',
      '\t\titer := common.FilterIterator(res.Iter, closer, u.Filter)',
      '',
      '\t\tif !u.Multi {',
      '\t\t\titer = common.LimitIterator(iter, closer, 1)',
      '\t\t}',
      '',
      '\t\tresult, err := common.UpdateDocument(ctx, c, "update", iter, &u)',
    ),
    to: '\t\tresult, err := h.updateStatement(ctx, c, &u)',
    count: 1,
  },
  { module: FERRETDB, file: 'internal/handler/msg_update.go', from: '\t"github.com/FerretDB/FerretDB/internal/util/iterator"\n', to: '', count: 1 },
  // each update, findAndModify and delete statement's query and write under its collection's lock
  { module: FERRETDB, file: 'internal/handler/collection_write_lock.go', add: 'handler_collection_write_lock.go' },
  {
    module: FERRETDB,
    file: 'internal/handler/msg_update.go',
    from: '\t\tresult, err := h.updateStatement(ctx, c, &u)\n',
    to: lines(
      '\t\tunlock, err := lockCollectionWrites(ctx, params.DB, params.Collection)',
      '\t\tif err != nil {',
      '\t\t\treturn 0, 0, nil, lazyerrors.Error(err)',
      '\t\t}',
      '',
      '\t\tresult, err := h.updateStatement(ctx, c, &u)',
      '\t\tunlock()',
      '',
    ),
    count: 1,
  },
  {
    module: FERRETDB,
    file: 'internal/handler/msg_findandmodify.go',
    from: '\tqueryRes, err := c.Query(ctx, &qp)\n',
    to: lines(
      '\tunlock, err := lockCollectionWrites(ctx, params.DB, params.Collection)',
      '\tif err != nil {',
      '\t\treturn nil, lazyerrors.Error(err)',
      '\t}',
      '',
      '\tdefer unlock()',
      '',
      '\tqueryRes, err := c.Query(ctx, &qp)',
      '',
    ),
    count: 1,
  },
  {
    module: FERRETDB,
    file: 'internal/handler/msg_delete.go',
    from: '\t\td, err = h.execDelete(connCtx, c, &p)\n',
    to: lines(
      '\t\tvar unlock func()',
      '\t\tif unlock, err = lockCollectionWrites(connCtx, params.DB, params.Collection); err != nil {',
      '\t\t\treturn nil, lazyerrors.Error(err)',
      '\t\t}',
      '',
      '\t\td, err = h.execDelete(connCtx, c, &p)',
      '\t\tunlock()',
      '',
    ),
    count: 1,
  },
  // an insert command's documents in transactions of 1,000 (upstream: 100), a duplicate found by halving
  { module: FERRETDB, file: 'internal/handler/insert_transaction.go', add: 'handler_insert_transaction.go' },
  { module: FERRETDB, file: 'internal/handler/msg_insert.go', from: 'h.BatchSize', to: 'insertTransactionSize', count: 3 },
  {
    module: FERRETDB,
    file: 'internal/handler/msg_insert.go',
    from: lines(
      '\t\tif _, err = c.InsertAll(connCtx, &backends.InsertAllParams{Docs: docs}); err == nil {',
      '\t\t\tinserted += int32(len(docs))',
      '',
      '\t\t\tif params.Ordered && len(writeErrors) > 0 {',
      '\t\t\t\tbreak',
      '\t\t\t}',
      '',
      '\t\t\tcontinue',
      '\t\t}',
      '',
      '\t\t// insert doc one by one upon failing on batch insertion',
      '\t\tfor j, doc := range docs {',
      '\t\t\tif _, err = c.InsertAll(connCtx, &backends.InsertAllParams{',
      '\t\t\t\tDocs: []*types.Document{doc},',
      '\t\t\t}); err == nil {',
      '\t\t\t\tinserted++',
      '',
      '\t\t\t\tcontinue',
      '\t\t\t}',
      '',
      '\t\t\tif !backends.ErrorCodeIs(err, backends.ErrorCodeInsertDuplicateID) {',
      '\t\t\t\treturn nil, lazyerrors.Error(err)',
      '\t\t\t}',
      '',
      '\t\t\twriteErrors = append(writeErrors, &mongo.WriteError{',
      '\t\t\t\tIndex:   docsIndexes[j],',
      '\t\t\t\tCode:    int(handlererrors.ErrDuplicateKeyInsert),',
      '\t\t\t\tMessage: fmt.Sprintf(`E11000 duplicate key error collection: %s.%s`, params.DB, params.Collection),',
      '\t\t\t})',
      '',
      '\t\t\tif params.Ordered {',
      '\t\t\t\tbreak',
      '\t\t\t}',
      '\t\t}',
    ),
    to: lines(
      '\t\tn, batchErrors, err := insertSplitting(connCtx, c, docs, docsIndexes, params.Ordered, params.DB, params.Collection)',
      '\t\tif err != nil {',
      '\t\t\treturn nil, err',
      '\t\t}',
      '',
      '\t\tinserted += n',
      '\t\twriteErrors = append(writeErrors, batchErrors...)',
      '',
      '\t\tif params.Ordered && len(writeErrors) > 0 {',
      '\t\t\tbreak',
      '\t\t}',
    ),
    count: 1,
  },
];
const defaultBinary = join(binDir, process.platform === 'win32' ? 'reviewgraph-embedded.exe' : 'reviewgraph-embedded');
const binary = process.env.REVIEWGRAPH_EMBEDDED_OUT ? resolve(process.env.REVIEWGRAPH_EMBEDDED_OUT) : defaultBinary;
const patchedDir = binary === defaultBinary ? join(binDir, '.patched') : `${binary}.patched`;
const log = (msg) => console.log(`[embedded] ${msg}`);

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (entry.isFile()) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function main() {
  if (process.env.REVIEWGRAPH_SKIP_EMBEDDED_BUILD === '1') {
    log('REVIEWGRAPH_SKIP_EMBEDDED_BUILD=1: not building the embedded launcher');
    return 0;
  }
  if (!existsSync(join(srcDir, 'go.mod'))) {
    log(`no Go module at ${srcDir}: nothing to build`);
    return 0;
  }
  if (existsSync(binary) && statSync(binary).mtimeMs > Math.max(newestMtime(srcDir), newestMtime(patchSrcDir), statSync(thisScript).mtimeMs)) {
    log('embedded launcher up to date');
    return 0;
  }

  const goVersion = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (goVersion.error || goVersion.status !== 0) {
    if (process.env.MONGODB_URI && process.env.NATS_URL) {
      log('Go not found; MONGODB_URI and NATS_URL are set, so the embedded launcher is not needed.');
      return 0;
    }
    console.log(
      [
        '',
        '[embedded] Go was not found on PATH, so the embedded FerretDB + NATS JetStream launcher was not built.',
        '[embedded] To run reviewgraph you need one of:',
        '[embedded]   - Go >= 1.22 (https://go.dev/dl/; the module needs 1.26, which Go >= 1.22 fetches by itself), then re-run `npm install`; or',
        '[embedded]   - your own MongoDB and NATS JetStream: set MONGODB_URI and NATS_URL.',
        '',
      ].join('\n'),
    );
    return 0;
  }

  log(`building the embedded FerretDB + NATS launcher (about a minute the first time)… [${goVersion.stdout.trim()}]`);
  const modfile = writePatchedModules();
  if (!modfile) return 1;
  const started = Date.now();
  const build = spawnSync('go', ['build', `-modfile=${modfile}`, '-o', binary, '.'], {
    cwd: srcDir,
    encoding: 'utf8',
    env: { ...process.env, CGO_ENABLED: process.env.CGO_ENABLED ?? '0' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (build.error || build.status !== 0) {
    process.stderr.write(build.stdout ?? '');
    process.stderr.write(build.stderr ?? '');
    if (build.error) console.error(`[embedded] ${build.error.message}`);
    console.error(`[embedded] go build failed after ${seconds}s (in ${srcDir})`);
    return 1;
  }
  log(`built ${binary} in ${seconds}s`);
  return 0;
}

/** Module files copied from the read-only module cache: writable, so they can be patched and removed. */
function makeWritable(dir) {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) makeWritable(p);
    else chmodSync(p, 0o644);
  }
}

/**
 * Copies each patched module out of the module cache, applies its patch, and writes a go.mod (with
 * its go.sum) that replaces the module by the copy; returns that go.mod, or null when a patch no
 * longer applies.
 */
function writePatchedModules() {
  if (existsSync(patchedDir)) makeWritable(patchedDir);
  rmSync(patchedDir, { recursive: true, force: true });
  mkdirSync(patchedDir, { recursive: true });
  let goMod = readFileSync(join(srcDir, 'go.mod'), 'utf8');
  for (const module of new Set(PATCHES.map((p) => p.module))) {
    const download = spawnSync('go', ['mod', 'download', '-json', module], { cwd: srcDir, encoding: 'utf8' });
    const moduleDir = download.status === 0 ? JSON.parse(download.stdout).Dir : null;
    if (!moduleDir) {
      process.stderr.write(download.stderr ?? '');
      console.error(`[embedded] could not download ${module}`);
      return null;
    }
    const copy = join(patchedDir, module.replaceAll('/', '_'));
    cpSync(moduleDir, copy, { recursive: true });
    makeWritable(copy);
    for (const patch of PATCHES.filter((p) => p.module === module)) {
      const file = join(copy, patch.file);
      if (patch.add) {
        if (existsSync(file)) {
          console.error(`[embedded] ${module}: ${patch.file} exists upstream now; update the patch in ${thisScript}`);
          return null;
        }
        cpSync(join(patchSrcDir, patch.add), file);
        continue;
      }
      const parts = readFileSync(file, 'utf8').split(patch.from);
      if (parts.length - 1 !== patch.count) {
        console.error(`[embedded] ${module}: ${patch.file} has ${parts.length - 1} of \`${patch.from}\`, expected ${patch.count}; update the patch in ${thisScript}`);
        return null;
      }
      writeFileSync(file, parts.join(patch.to));
    }
    goMod += `\nreplace ${module} => ${copy}\n`;
  }
  const modfile = join(patchedDir, 'go.mod');
  writeFileSync(modfile, goMod);
  cpSync(join(srcDir, 'go.sum'), join(patchedDir, 'go.sum'));
  return modfile;
}

process.exitCode = main();
