import { PRODUCT_ID_PATTERN } from '../../subgraphs/collection/src/models/product.js';
import { emptyCounts, writeCheckpoint, type Checkpoint, type ImportCounts } from './checkpoint.js';
import { mapRow, type MappedReview, type RowMapping } from './column-map.js';
import { readRows, type RowReading } from './file-rows.js';
import type { GatewayClient, ReviewInputRow } from './gateway-client.js';
import type { RejectedRow, RejectionReport } from './rejection-report.js';

export interface ImportPlan {
  path: string;
  reading: RowReading;
  mapping: RowMapping;
  batchSize: number;
  /** submitReviews calls open at once. */
  concurrency: number;
  checkpointPath: string;
  identity: string;
  /** Where the previous runs stopped (null: from the start). */
  resumeFrom: Checkpoint | null;
  runId: string;
}

export interface ImportProgress { bytes: number; counts: ImportCounts }
export interface ImportOutcome { counts: ImportCounts; rowsThisRun: number; finished: boolean; stoppedAt: { offset: number; line: number } }

/** A batch's worth of rows: what goes to submitReviews, what was refused before, and where in the file it ends. */
interface Batch { reviews: Array<{ line: number; review: MappedReview }>; local: RejectedRow[]; rows: number; bytes: number; start: number; end: number; nextLine: number }
interface BatchResult { batch: Batch; rejected: RejectedRow[]; imported: number; duplicates: number; pending: number }

const MAX_BATCH_BYTES = 4 * 1024 * 1024;
const NOT_PUBLISHED_RETRIES = 4;
const SKU_CACHE_LIMIT = 50_000;
/** Answered batches that may wait for an older one, per call in flight. */
const ANSWERS_WAITING_PER_CALL = 4;

/** A batch sent and not yet acknowledged: its answer (or failure) once it has one. */
interface Pending { settled: Promise<void>; done: boolean; result?: BatchResult; failure?: { error: unknown } }

/**
 * Streams the file's rows into submitReviews batches, at most `concurrency` calls open at once, and
 * acknowledges them in file order: after each, the rejected rows go to the report and the checkpoint
 * moves past the batch, never past one still unanswered. A batch answered before an older one waits
 * as its counts and rejected rows only, so one slow call (a retry's backoff) does not stall the
 * others; reading stops while the calls or the waiting answers are at their limits, so memory stays
 * bounded whatever the file's size. Stops cleanly (everything sent acknowledged, checkpoint written)
 * when `signal` aborts.
 */
export async function runImport(plan: ImportPlan, client: GatewayClient, report: RejectionReport, signal: AbortSignal, onProgress: (progress: ImportProgress) => void): Promise<ImportOutcome> {
  const counts = plan.resumeFrom ? { ...plan.resumeFrom.counts } : emptyCounts();
  let position = { offset: plan.reading.offset, line: plan.reading.line };
  let rowsThisRun = 0;
  const skus = new Map<string, string | null>();
  const pending: Pending[] = [];
  const waitingLimit = plan.concurrency * ANSWERS_WAITING_PER_CALL;
  let open = 0;
  let failed = false;
  // Resolved (and replaced) whenever a call settles; taken before checking, so no settlement is missed.
  let settlement = signalled();

  const saveCheckpoint = () => writeCheckpoint(plan.checkpointPath, { version: 1, identity: plan.identity, runId: plan.runId, offset: position.offset, line: position.line, reportBytes: report.bytes, counts, updatedAt: new Date().toISOString() });
  // Written before the first batch goes out, so a run that dies before any answer still resumes with its keys.
  await saveCheckpoint();

  const acknowledge = async (result: BatchResult) => {
    await report.add([...result.batch.local, ...result.rejected].sort((a, b) => a.line - b.line));
    counts.rows += result.batch.rows;
    counts.imported += result.imported;
    counts.duplicates += result.duplicates;
    counts.pending += result.pending;
    counts.rejected += result.batch.local.length + result.rejected.length;
    rowsThisRun += result.batch.rows;
    position = { offset: result.batch.end, line: result.batch.nextLine };
    await saveCheckpoint();
    onProgress({ bytes: position.offset, counts });
  };

  /** Acknowledges answered batches from the oldest on, then waits for calls to settle until `enough`; a failed batch throws when its turn comes. */
  const waitUntil = async (enough: () => boolean) => {
    for (;;) {
      const next = settlement.promise;
      while (pending[0]?.done) {
        const oldest = pending.shift()!;
        if (oldest.failure) throw oldest.failure.error;
        await acknowledge(oldest.result!);
      }
      if (enough()) return;
      await next;
    }
  };

  const send = (batch: Batch) => {
    // The same file, options and place in it make the same key: a batch sent again after a crash gets the first answer.
    const entry: Pending = { done: false, settled: Promise.resolve() };
    open++;
    entry.settled = submitBatch(batch, client, skus, `import:${plan.runId}:${plan.batchSize}:${batch.start}`).then(
      (result) => { entry.result = result; },
      (error: unknown) => { entry.failure = { error }; failed = true; },
    ).finally(() => {
      entry.done = true;
      open--;
      const settled = settlement;
      settlement = signalled();
      settled.resolve();
    });
    pending.push(entry);
  };

  let batch = newBatch(plan.reading.offset, plan.reading.line);
  try {
    for await (const item of readRows(plan.path, plan.reading)) {
      batch.rows++;
      batch.end = item.end;
      batch.nextLine = item.nextLine;
      if (item.kind === 'problem') {
        batch.local.push({ line: item.line, field: null, code: 'UNREADABLE', reason: item.reason });
      } else {
        const mapped = mapRow(item.values, item.line, item.raw, plan.mapping);
        if ('reason' in mapped) batch.local.push({ line: item.line, ...mapped });
        else {
          batch.reviews.push({ line: item.line, review: mapped });
          batch.bytes += item.raw.length;
        }
      }
      if (batch.reviews.length >= plan.batchSize || batch.bytes >= MAX_BATCH_BYTES || batch.local.length >= plan.batchSize) {
        send(batch);
        batch = newBatch(batch.end, batch.nextLine);
        await waitUntil(() => failed || (open < plan.concurrency && pending.length < waitingLimit));
      }
      if (signal.aborted || failed) break;
    }
    if (!signal.aborted && !failed && batch.rows > 0) send(batch);
    await waitUntil(() => pending.length === 0);
  } finally {
    // On a failure, let what is still in flight settle; its rows are sent again by the next run.
    await Promise.all(pending.map((p) => p.settled));
  }
  return { counts, rowsThisRun, finished: !signal.aborted, stoppedAt: position };
}

function signalled(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => { resolve = r; });
  return { promise, resolve };
}

function newBatch(start: number, nextLine: number): Batch {
  return { reviews: [], local: [], rows: 0, bytes: 0, start, end: start, nextLine };
}

async function submitBatch(batch: Batch, client: GatewayClient, skus: Map<string, string | null>, idempotencyKey: string): Promise<BatchResult> {
  const unknown = [...new Set(batch.reviews.map((r) => r.review.product).filter((p) => !PRODUCT_ID_PATTERN.test(p) && !skus.has(p)))];
  if (unknown.length > 0) {
    if (skus.size + unknown.length > SKU_CACHE_LIMIT) skus.clear();
    for (const [sku, id] of await client.productIdsBySku(unknown)) skus.set(sku, id);
  }
  const rejected: RejectedRow[] = [];
  let items: Array<{ line: number; input: ReviewInputRow }> = [];
  for (const { line, review } of batch.reviews) {
    const { product, ...rest } = review;
    const productId = PRODUCT_ID_PATTERN.test(product) ? product : skus.get(product);
    if (!productId) rejected.push({ line, field: 'product', code: 'UNKNOWN_PRODUCT', reason: `no product with SKU "${product.slice(0, 80)}" in this tenant` });
    else items.push({ line, input: { productId, ...rest } });
  }
  // An answered batch may wait for older ones: only its counts and rejected rows need to.
  batch.reviews = [];
  let imported = 0;
  let duplicates = 0;
  for (let attempt = 0; items.length > 0; attempt++) {
    const answer = await client.submit(items.map((i) => i.input), `${idempotencyKey}:${attempt}`);
    for (const accepted of answer.accepted) {
      if (accepted.duplicate) duplicates++;
      else imported++;
    }
    const retry: typeof items = [];
    for (const refused of answer.rejected) {
      const item = items[refused.index]!;
      if (refused.code === 'NOT_PUBLISHED') retry.push(item);
      else rejected.push({ line: item.line, field: refused.field, code: refused.code, reason: refused.message });
    }
    if (retry.length === 0 || attempt === NOT_PUBLISHED_RETRIES) {
      // Stored, their events not on the bus yet: the collection's sweeper publishes them.
      return { batch, rejected, imported, duplicates, pending: retry.length };
    }
    // Every imported row has an externalId, so sending a stored one again is safe.
    items = retry;
    await new Promise((resolve) => setTimeout(resolve, 1000 * (attempt + 1)));
  }
  return { batch, rejected, imported, duplicates, pending: 0 };
}
