import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../lib/stack.js';
import { gatewayData } from '../support/gateway-client.js';
import { startImportCli } from '../support/import-cli.js';
import { startTestStack } from '../support/stack.js';

const WRITE_KEY = 'import-write-key-0123456789abcdef';
const READ_KEY = 'import-read-key-0123456789abcdef0';
let stack: Stack;
let dir: string;
const products: Record<string, string> = {};

const gql = (query: string, variables: Record<string, unknown> = {}) => gatewayData(stack.gatewayUrl, WRITE_KEY, query, variables);

const startImport = (args: string[], key = WRITE_KEY) => startImportCli(args, { gatewayUrl: stack.gatewayUrl, apiKey: key });

const importFile = (args: string[], key?: string) => startImport(args, key).done;

/** Every stored review of a product, read through the gateway page by page. */
async function storedReviews(productId: string): Promise<Array<{ externalId: string; text: string; rating: number; title: string | null; author: string | null; createdAt: string; source: { name: string } }>> {
  const all = [];
  let after: string | null = null;
  for (;;) {
    const data = await gql(`query($id: ID!, $after: String) { product(id: $id) { reviews(first: 100, after: $after) { edges { node { externalId text rating title author createdAt source { name } } } pageInfo { hasNextPage endCursor } } } }`, { id: productId, after });
    all.push(...data.product.reviews.edges.map((e: { node: unknown }) => e.node));
    if (!data.product.reviews.pageInfo.hasNextPage) return all as never;
    after = data.product.reviews.pageInfo.endCursor;
  }
}

/** The report's rows as line → code. */
async function reportCodes(path: string): Promise<Map<number, string>> {
  const lines = (await readFile(path, 'utf8')).trim().split('\n');
  expect(lines[0]).toBe('line,field,code,reason');
  return new Map(lines.slice(1).map((l) => {
    const [line, , code] = l.split(',');
    return [Number(line), code!];
  }));
}

beforeAll(async () => {
  stack = await startTestStack('import', {
    workers: 0,
    keys: [
      { key: WRITE_KEY, name: 'importer', tenantId: 'importer', scopes: ['read', 'write'] },
      { key: READ_KEY, name: 'reader', tenantId: 'importer', scopes: ['read'] },
    ],
  });
  dir = await mkdtemp(join(tmpdir(), 'import-cli-'));
  const skus = ['CSV-1', 'BAD-1', 'JSONL-1', 'RESUME-1', 'RESUME-2'];
  const data = await gql(`mutation($p: [ProductInput!]!) { upsertProducts(input: { products: $p }) { products { id sku } } }`, { p: skus.map((sku) => ({ sku, name: `Watch ${sku}`, category: 'sport-watch' })) });
  for (const p of data.upsertProducts.products) products[p.sku] = p.id;
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('npm run import', () => {
  it('imports a CSV export with a BOM, CRLF line ends, quoted newlines, its own column names and date format; a rerun stores nothing twice', async () => {
    const file = join(dir, 'shop-export.csv');
    const rows = [
      '\ufeffReview ID;SKU;Stars;Headline;Body;Reviewer;Submitted',
      'S-1;CSV-1;5;Great;"Battery lasts, GPS is quick";Ann;31/12/2025',
      'S-2;CSV-1;2;Meh;"Strap broke.\r\nSecond line of the review";Bob;01/02/2026',
      'S-3;CSV-1;4;"Says ""good""";Good value;;15/03/2026',
    ];
    await writeFile(file, `${rows.join('\r\n')}\r\n`);
    const summaryPath = join(dir, 'shop-summary.json');
    const args = [file, '--source', 'import:shop', '--date-format', 'DD/MM/YYYY', '--json-summary', summaryPath];
    const first = await importFile(args);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/created source import:shop \(IMPORT\)/);
    expect(first.stdout).toMatch(/3 rows: 3 imported, 0 already stored, 0 rejected; 3 rows in [\d.]+ s \(\d+ rows\/s\)/);
    const summary = JSON.parse(await readFile(summaryPath, 'utf8'));
    expect(summary).toMatchObject({ rows: 3, imported: 3, duplicates: 0, rejected: 0, finished: true, exitCode: 0 });
    expect(summary.rowsPerSecond).toBeGreaterThan(0);
    expect(summary.peakRssBytes).toBeGreaterThan(0);
    const stored = (await storedReviews(products['CSV-1']!)).sort((a, b) => a.externalId.localeCompare(b.externalId));
    expect(stored.map(({ externalId, rating, title, text, author, createdAt, source }) => ({ externalId, rating, title, text, author, createdAt, source: source.name }))).toEqual([
      { externalId: 'S-1', rating: 5, title: 'Great', text: 'Battery lasts, GPS is quick', author: 'Ann', createdAt: '2025-12-31T00:00:00.000Z', source: 'import:shop' },
      { externalId: 'S-2', rating: 2, title: 'Meh', text: 'Strap broke.\r\nSecond line of the review', author: 'Bob', createdAt: '2026-02-01T00:00:00.000Z', source: 'import:shop' },
      { externalId: 'S-3', rating: 4, title: 'Says "good"', text: 'Good value', author: null, createdAt: '2026-03-15T00:00:00.000Z', source: 'import:shop' },
    ]);
    expect((await gql(`{ sourceByName(name: "import:shop") { kind implicit } }`)).sourceByName).toEqual({ kind: 'IMPORT', implicit: false });
    const again = await importFile(args);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/3 rows: 0 imported, 3 already stored, 0 rejected/);
    expect(await storedReviews(products['CSV-1']!)).toHaveLength(3);
  });

  it('reports each bad CSV row with its line and reason, imports the good ones, and exits 1', async () => {
    const file = join(dir, 'bad.csv');
    const good = (n: number) => Buffer.from(`BAD-1,5,Good row ${n},G-${n}\n`);
    const parts = [
      Buffer.from('sku,rating,text,id\n'),
      good(2),
      Buffer.from('BAD-1,5,too,many,fields\n'), // 3: wrong column count
      Buffer.from('BAD-1,4,"quoted"trailing,Q-4\n'), // 4: broken quoting
      Buffer.concat([Buffer.from('BAD-1,4,caf'), Buffer.from([0xc3, 0x28]), Buffer.from(',U-5\n')]), // 5: invalid UTF-8
      Buffer.from(`BAD-1,3,${'x'.repeat(5 * 1024 * 1024)},L-6\n`), // 6: a 5 MB line
      Buffer.from('BAD-1,lots,Rating is a word,R-7\n'), // 7
      Buffer.from('NO-SUCH-SKU,5,Unknown product,P-8\n'), // 8
      Buffer.from('BAD-1,9,Rating out of range,O-9\n'), // 9: refused by the API
      Buffer.from('BAD-1,5,"opened and never closed,C-10\n'), // 10: unclosed quote
      good(11),
      Buffer.from('\n'), // 12: blank, skipped
      good(13),
    ];
    await writeFile(file, Buffer.concat(parts));
    const result = await importFile([file, '--source', 'import:bad']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/11 rows: 3 imported, 0 already stored, 8 rejected/);
    expect(result.stdout).toContain(`see ${file}.rejected.csv`);
    const codes = await reportCodes(`${file}.rejected.csv`);
    expect([...codes.entries()]).toEqual([[3, 'UNREADABLE'], [4, 'UNREADABLE'], [5, 'UNREADABLE'], [6, 'UNREADABLE'], [7, 'INVALID'], [8, 'UNKNOWN_PRODUCT'], [9, 'OUT_OF_RANGE'], [10, 'UNREADABLE']]);
    const report = await readFile(`${file}.rejected.csv`, 'utf8');
    expect(report).toMatch(/^3,,UNREADABLE,the row has 5 fields; the header has 4$/m);
    expect(report).toMatch(/^4,,UNREADABLE,"the row is not valid CSV \(a quote inside a quoted field must be doubled\)/m);
    expect(report).toMatch(/^5,,UNREADABLE,the row is not valid UTF-8 text$/m);
    expect(report).toMatch(/^6,,UNREADABLE,the record is longer than 1048576 bytes/m);
    expect(report).toMatch(/^7,rating,INVALID,"?rating ""lots"" is not a number/m);
    expect(report).toMatch(/^9,rating,OUT_OF_RANGE,"rating must be from 1 to 5, got 9"$/m);
    expect(report).toMatch(/^10,,UNREADABLE,a quoted field opened on this line is not closed/m);
    expect((await storedReviews(products['BAD-1']!)).map((r) => r.externalId).sort()).toEqual(['G-11', 'G-13', 'G-2']);
  });

  it('handles an empty file, a file that is not CSV, and a key without the write scope without crashing', async () => {
    const empty = join(dir, 'empty.csv');
    await writeFile(empty, '');
    const none = await importFile([empty, '--source', 'import:empty']);
    expect(none.code).toBe(0);
    expect(none.stdout).toMatch(/empty: nothing to import/);

    const binary = join(dir, 'photo.csv');
    await writeFile(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe, 0x10, 0x80, 0x0a, 0x01, 0x02]));
    const png = await importFile([binary, '--source', 'import:png']);
    expect(png.code).toBe(2);
    expect(png.stderr).toMatch(/^import: line 1 \(the header\) is not UTF-8 text: is this a CSV file\?\n$/);

    const prose = join(dir, 'notes.csv');
    await writeFile(prose, 'Dear team\nhere are the reviews you asked for\n');
    const text = await importFile([prose, '--source', 'import:notes']);
    expect(text.code).toBe(2);
    expect(text.stderr).toMatch(/^import: the header \(Dear team\) has no column for product, rating, text: name it with --map product=COLUMN \(is this a CSV file\? its first line has one column\)\n$/);

    const utf16 = join(dir, 'utf16.csv');
    await writeFile(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('sku,rating,text\n', 'utf16le')]));
    expect((await importFile([utf16, '--source', 'import:u16'])).stderr).toMatch(/UTF-16.*save it as UTF-8/);

    const readOnly = await importFile([join(dir, 'shop-export.csv'), '--source', 'import:shop', '--date-format', 'DD/MM/YYYY'], READ_KEY);
    expect(readOnly.code).toBe(2);
    expect(readOnly.stderr).toMatch(/FORBIDDEN/);
    for (const run of [none, png, text, readOnly]) expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('reports a broken JSONL line in the middle and imports the lines around it', async () => {
    const file = join(dir, 'feed.jsonl');
    const lines = [
      JSON.stringify({ sku: 'JSONL-1', score: 8, content: 'Eight out of ten', id: 'J-1', date: 1767225600 }),
      JSON.stringify({ sku: 'JSONL-1', stars: 4, review: 'Fine', reviewId: 'J-2' }),
      '{"sku": "JSONL-1", "stars": 5, "text": "cut off in the mid',
      '[1, 2, 3]',
      '',
      JSON.stringify({ sku: 'JSONL-1', rating: 3, body: 'After the broken lines', external_id: 'J-6', createdAt: '2026-01-02T03:04:05Z' }),
      JSON.stringify({ sku: 'JSONL-1', rating: 3, text: { nested: true }, id: 'J-7' }),
    ];
    await writeFile(file, `${lines.join('\n')}\n`);
    const result = await importFile([file, '--source', 'partner:feed', '--rating-scale', '10']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/6 rows: 3 imported, 0 already stored, 3 rejected/);
    const report = await readFile(`${file}.rejected.csv`, 'utf8');
    expect(report).toMatch(/^3,,UNREADABLE,the line is not JSON: /m);
    expect(report).toMatch(/^4,,UNREADABLE,the line is JSON but not an object$/m);
    expect(report).toMatch(/^7,text,REQUIRED,/m);
    const stored = (await storedReviews(products['JSONL-1']!)).sort((a, b) => a.externalId.localeCompare(b.externalId));
    expect(stored.map((r) => [r.externalId, r.rating, r.createdAt.slice(0, 10)])).toEqual([['J-1', 4, '2026-01-01'], ['J-2', 2, expect.any(String)], ['J-6', 2, '2026-01-02']]);
  });
});

describe('resuming', () => {
  it('after a SIGKILL mid-file, a rerun leaves the store as one clean run would: every row once, none twice', async () => {
    const file = join(dir, 'big.csv');
    const total = 3000;
    const rows = ['sku,rating,title,text,review_id'];
    for (let i = 0; i < total; i++) {
      // every third row has no id of its own: it gets one from its line and content
      rows.push(`RESUME-${1 + (i % 2)},${1 + (i % 5)},Row ${i},"Review number ${i}, battery and GPS",${i % 3 === 0 ? '' : `B-${i}`}`);
    }
    await writeFile(file, `${rows.join('\n')}\n`);
    const checkpoint = `${file}.import-checkpoint.json`;
    const first = startImport([file, '--source', 'import:big', '--batch-size', '40', '--concurrency', '2']);
    let killedAt = 0;
    for (let i = 0; i < 600 && killedAt === 0; i++) {
      await new Promise((r) => setTimeout(r, 25));
      if (!existsSync(checkpoint)) continue;
      const state = JSON.parse(await readFile(checkpoint, 'utf8').catch(() => '{}'));
      if ((state.counts?.rows ?? 0) >= 400) {
        first.child.kill('SIGKILL');
        killedAt = state.counts.rows;
      }
    }
    const killed = await first.done;
    expect(killed.signal).toBe('SIGKILL');
    expect(killedAt).toBeGreaterThanOrEqual(400);
    const state = JSON.parse(await readFile(checkpoint, 'utf8'));
    expect(state.counts.rows).toBeLessThan(total);

    const rerun = await importFile([file, '--source', 'import:big', '--batch-size', '40', '--concurrency', '2']);
    expect(rerun.stderr).toBe('');
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(/resuming at line \d+/);
    expect(rerun.stdout).toMatch(new RegExp(`${total} rows: \\d+ imported, \\d+ already stored, 0 rejected`));
    expect(existsSync(checkpoint)).toBe(false);

    const stored = [...(await storedReviews(products['RESUME-1']!)), ...(await storedReviews(products['RESUME-2']!))];
    expect(stored).toHaveLength(total);
    expect(new Set(stored.map((r) => r.externalId)).size).toBe(total);
    expect(new Set(stored.map((r) => r.text))).toEqual(new Set(Array.from({ length: total }, (_, i) => `Review number ${i}, battery and GPS`)));
    expect(stored.filter((r) => r.externalId.startsWith('row:'))).toHaveLength(total / 3);

    // A clean rerun of the whole file finds every row stored.
    const again = await importFile([file, '--source', 'import:big', '--batch-size', '500']);
    expect(again.stdout).toMatch(new RegExp(`${total} rows: 0 imported, ${total} already stored, 0 rejected`));
  }, 240_000);

  it('after Ctrl-C, finishes the batches in flight, keeps its place, exits 3, and a rerun completes it', async () => {
    const file = join(dir, 'interrupted.csv');
    const total = 1200;
    const rows = ['sku,rating,text,review_id', ...Array.from({ length: total }, (_, i) => `RESUME-1,${1 + (i % 5)},Interrupted review ${i},I-${i}`)];
    await writeFile(file, `${rows.join('\n')}\n`);
    const checkpoint = `${file}.import-checkpoint.json`;
    const args = [file, '--source', 'import:interrupted', '--batch-size', '20', '--concurrency', '1'];
    const first = startImport(args);
    for (let i = 0; i < 600 && !existsSync(checkpoint); i++) await new Promise((r) => setTimeout(r, 25));
    first.child.kill('SIGINT');
    const stopped = await first.done;
    expect(stopped.code).toBe(3);
    expect(stopped.stdout).toMatch(/stopped at line (\d+): \d+ rows: .* so far; run the same command again to resume/);
    const state = JSON.parse(await readFile(checkpoint, 'utf8'));
    expect(state.counts.rows).toBeLessThan(total);
    // Everything before the checkpoint is stored: what was in flight was acknowledged before it stopped.
    expect(state.counts.imported + state.counts.duplicates).toBe(state.counts.rows);
    const rerun = await importFile(args);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(new RegExp(`${total} rows: ${total} imported, 0 already stored, 0 rejected`));
  }, 120_000);
});
