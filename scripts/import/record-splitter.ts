/**
 * Cuts a byte stream into records with their line numbers and byte offsets, without decoding it,
 * so a checkpoint can name the exact byte to resume from and a bad row can be reported by line.
 * For CSV it follows quotes (a record ends at a newline outside a quoted field); the fields
 * themselves are parsed by csv-parse (csv-rows.ts). Memory stays bounded by `maxRecordBytes`
 * whatever the file holds: a longer record is skipped and reported, and an unclosed quote that
 * runs past that size (or to the end of the file) is reported at its line and reading resumes on
 * the next line.
 */

/** `end` is the byte offset after the record, `nextLine` the line number there: where a resumed read starts. */
export interface SplitRecord { kind: 'record'; line: number; start: number; end: number; nextLine: number; bytes: Buffer }
export interface SplitProblem { kind: 'problem'; line: number; start: number; end: number; nextLine: number; reason: string }
export type SplitItem = SplitRecord | SplitProblem;

export interface SplitOptions {
  /** true for CSV: newlines inside double-quoted fields belong to the record. */
  quoted: boolean;
  delimiter: number;
  maxRecordBytes: number;
  /** Where `source` starts in the file, and the line number there (1-based). */
  offset: number;
  line: number;
}

const NEWLINE = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

export async function* splitRecords(source: AsyncIterable<Buffer> | Iterable<Buffer>, options: SplitOptions): AsyncGenerator<SplitItem> {
  const { quoted, delimiter, maxRecordBytes } = options;
  let parts: Buffer[] = [];
  let size = 0;
  let start = options.offset;
  let line = options.line;
  let linesInRecord = 0;
  let inQuotes = false;
  let quoteSeen = false;
  let atFieldStart = true;
  // Skipping the rest of a record longer than maxRecordBytes, up to the next newline.
  let skipping = false;

  const reset = (at: number, nextLine: number) => {
    parts = [];
    size = 0;
    start = at;
    line = nextLine;
    linesInRecord = 0;
    inQuotes = false;
    quoteSeen = false;
    atFieldStart = true;
  };

  const finish = (end: number): SplitItem | null => {
    let bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
    if (bytes.length > 0 && bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, bytes.length - 1);
    const item: SplitRecord = { kind: 'record', line, start, end, nextLine: line + linesInRecord + 1, bytes };
    return bytes.length === 0 ? null : item;
  };

  /** An unclosed quote: report its first line, and give back what followed that line to be read again. */
  const unclosed = (why: string): { problem: SplitProblem; rest: Buffer; restOffset: number } => {
    const bytes = Buffer.concat(parts, size);
    const firstNewline = bytes.indexOf(NEWLINE);
    const cut = firstNewline < 0 ? bytes.length : firstNewline + 1;
    return {
      problem: { kind: 'problem', line, start, end: start + cut, nextLine: line + 1, reason: `a quoted field opened on this line is not closed ${why}; the line is skipped and reading goes on with the next one` },
      rest: bytes.subarray(cut),
      restOffset: start + cut,
    };
  };

  const pending: Buffer[] = [];
  const input = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
  let position = options.offset;
  for (;;) {
    let chunk = pending.shift();
    if (!chunk) {
      const next: IteratorResult<Buffer> = await input.next();
      if (next.done) break;
      chunk = next.value;
    }
    let from = 0;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (skipping) {
        if (b !== NEWLINE) continue;
        yield { kind: 'problem', line, start, end: position + i + 1, nextLine: line + linesInRecord + 1, reason: `the record is longer than ${maxRecordBytes} bytes (no review is that long); it is skipped` };
        skipping = false;
        reset(position + i + 1, line + linesInRecord + 1);
        from = i + 1;
        continue;
      }
      if (quoted) {
        if (inQuotes) {
          if (quoteSeen) {
            quoteSeen = false;
            if (b === QUOTE) continue;
            inQuotes = false;
          } else {
            if (b === QUOTE) quoteSeen = true;
            else if (b === NEWLINE) linesInRecord++;
            continue;
          }
        }
        if (b === QUOTE && atFieldStart) {
          inQuotes = true;
          atFieldStart = false;
          continue;
        }
        if (b === delimiter) {
          atFieldStart = true;
          continue;
        }
        if (b !== NEWLINE) {
          atFieldStart = false;
          continue;
        }
      } else if (b !== NEWLINE) {
        const next = chunk.indexOf(NEWLINE, i);
        i = (next < 0 ? chunk.length : next) - 1;
        continue;
      }
      // b is a newline that ends the record
      parts.push(chunk.subarray(from, i));
      size += i - from;
      if (size > maxRecordBytes) {
        skipping = true;
        i--;
        parts = [];
        continue;
      }
      const item = finish(position + i + 1);
      if (item) yield item;
      reset(position + i + 1, line + linesInRecord + 1);
      from = i + 1;
    }
    if (!skipping && from < chunk.length) {
      parts.push(chunk.subarray(from));
      size += chunk.length - from;
      if (size > maxRecordBytes) {
        if (inQuotes && linesInRecord > 0) {
          const { problem, rest, restOffset } = unclosed(`within ${maxRecordBytes} bytes`);
          yield problem;
          reset(restOffset, line + 1);
          // `rest` is what followed the bad line: read it again, before the rest of the file.
          position = restOffset;
          pending.unshift(rest);
          continue;
        }
        skipping = true;
        parts = [];
      }
    }
    position += chunk.length;
  }
  if (skipping) {
    yield { kind: 'problem', line, start, end: position, nextLine: line + linesInRecord + 1, reason: `the record is longer than ${maxRecordBytes} bytes (no review is that long); it is skipped` };
    return;
  }
  if (size === 0) return;
  if (inQuotes && !quoteSeen) {
    // Read the rest again after the bad line, as a file of its own from there.
    const { problem, rest, restOffset } = unclosed('by the end of the file');
    yield problem;
    if (rest.length > 0) yield* splitRecords([rest], { ...options, offset: restOffset, line: line + 1 });
    return;
  }
  const item = finish(position);
  if (item) yield item;
}
