import { createHash } from 'node:crypto';
import { open, readFile, rename, rm, writeFile } from 'node:fs/promises';

/** What the import has counted so far, over every run of it. */
export interface ImportCounts { rows: number; imported: number; duplicates: number; rejected: number; pending: number }

/**
 * Where an import stands: every row before `offset` is acknowledged by the gateway (stored, already
 * stored, or rejected and written to the report, which is `reportBytes` long). A rerun starts there;
 * the batch that was in flight when it stopped is sent again, and the API's (source, externalId)
 * idempotency turns what had been stored of it into duplicates.
 */
export interface Checkpoint {
  version: 1; identity: string; offset: number; line: number; reportBytes: number; counts: ImportCounts; updatedAt: string;
  /** Names this import from its first row to its end: part of its batches' idempotency keys, so a resumed run gets the first answers and a new run of the same file does not. */
  runId: string;
}

export const emptyCounts = (): ImportCounts => ({ rows: 0, imported: 0, duplicates: 0, rejected: 0, pending: 0 });

/** What a checkpoint belongs to: the file (its path and first 64 KiB) and every option that changes what rows become. */
export async function importIdentity(path: string, settings: Record<string, unknown>): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return createHash('sha256').update(JSON.stringify({ path, settings })).update(head.subarray(0, bytesRead)).digest('hex');
  } finally {
    await handle.close();
  }
}

export async function readCheckpoint(path: string): Promise<Checkpoint | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const value = JSON.parse(text) as Checkpoint;
  if (value?.version !== 1 || typeof value.offset !== 'number' || typeof value.identity !== 'string' || typeof value.runId !== 'string') throw new Error(`${path} is not an import checkpoint`);
  return value;
}

/** Written to a temporary file and renamed over the old one: a crash leaves the old checkpoint or the new, never half of one. */
export async function writeCheckpoint(path: string, checkpoint: Checkpoint): Promise<void> {
  const temporary = `${path}.tmp`;
  await writeFile(temporary, `${JSON.stringify(checkpoint)}\n`);
  await rename(temporary, path);
}

export async function removeCheckpoint(path: string): Promise<void> {
  await rm(path, { force: true });
}
