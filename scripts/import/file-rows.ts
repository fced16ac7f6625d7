import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { splitRecords, type SplitItem, type SplitOptions } from './record-splitter.js';

/** One row of the file, its values by column name (CSV) or key (JSONL). */
export interface FileRow { kind: 'row'; line: number; end: number; nextLine: number; values: Record<string, unknown>; raw: Buffer }
/** A row that cannot be read, with why. */
export interface FileProblem { kind: 'problem'; line: number; end: number; nextLine: number; reason: string }
export type FileItem = FileRow | FileProblem;

export type Format = 'csv' | 'jsonl';

/** Fatal for the whole file: it cannot be read as the format asked. */
export class UnreadableFile extends Error {}

/** Rows longer than this cannot hold a review (text is capped at 20,000 characters). */
export const MAX_RECORD_BYTES = 1024 * 1024;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decode(bytes: Buffer): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

/** Where the data starts (after a UTF-8 byte-order mark); refuses UTF-16 files, which would read as garbage. */
export async function dataStart(path: string): Promise<number> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(3);
    const { bytesRead } = await handle.read(head, 0, 3, 0);
    if (bytesRead >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))) {
      throw new UnreadableFile('the file is UTF-16 text (it starts with a UTF-16 byte-order mark); save it as UTF-8 and import it again');
    }
    return bytesRead === 3 && head.equals(BOM) ? 3 : 0;
  } finally {
    await handle.close();
  }
}

const csvOptions = (delimiter: string) => ({ delimiter, record_delimiter: '\n', relax_column_count: true, skip_empty_lines: false });

function csvFields(text: string, delimiter: string): string[] {
  const records = parse(text, csvOptions(delimiter)) as string[][];
  if (records.length !== 1) throw new Error(`it holds ${records.length} records where one was expected`);
  return records[0]!;
}

/** Records of a group parsed in one csv-parse call (a call costs far more than a record); null when one of them is bad, so each is parsed alone. */
function csvGroupFields(texts: readonly string[], delimiter: string): string[][] | null {
  if (texts.length < 2) return null;
  try {
    const records = parse(texts.join('\n'), csvOptions(delimiter)) as string[][];
    return records.length === texts.length ? records : null;
  } catch {
    return null;
  }
}

/** The header of a CSV file: its column names, and where the first data row starts. */
export async function readCsvHeader(path: string, delimiter: string): Promise<{ columns: string[]; offset: number; line: number } | null> {
  const start = await dataStart(path);
  const stream = createReadStream(path, { start, highWaterMark: 64 * 1024 });
  try {
    for await (const item of splitRecords(stream, { quoted: true, delimiter: delimiter.charCodeAt(0), maxRecordBytes: MAX_RECORD_BYTES, offset: start, line: 1 })) {
      if (item.kind === 'problem') throw new UnreadableFile(`line ${item.line} (the header): ${item.reason}`);
      const text = decode(item.bytes);
      if (text === null) throw new UnreadableFile(`line ${item.line} (the header) is not UTF-8 text: is this a ${delimiter === ',' ? 'CSV' : 'delimited text'} file?`);
      let columns: string[];
      try {
        columns = csvFields(text, delimiter).map((c) => c.trim());
      } catch (error) {
        throw new UnreadableFile(`line ${item.line} (the header) is not a CSV header: ${(error as Error).message}`);
      }
      const seen = new Set<string>();
      for (const column of columns) {
        if (seen.has(column)) throw new UnreadableFile(`the header names column "${column.slice(0, 60)}" twice`);
        seen.add(column);
      }
      return { columns, offset: item.end, line: item.nextLine };
    }
    return null;
  } finally {
    stream.destroy();
  }
}

/** Guesses the delimiter from the first line: a comma unless only semicolons or tabs separate it. */
export async function guessDelimiter(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(8192);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const first = head.subarray(0, bytesRead).toString('latin1').split('\n', 1)[0] ?? '';
    const count = (c: string) => first.split(c).length - 1;
    if (count(',') > 0) return ',';
    if (count('\t') > count(';')) return '\t';
    return count(';') > 0 ? ';' : ',';
  } finally {
    await handle.close();
  }
}

export interface RowReading { format: Format; delimiter: string; columns: string[] | null; offset: number; line: number }

/** Records parsed together: up to 256 of them, and no more bytes than a read, so rows read ahead of the batches stay a bounded few MiB however long each row is. */
const GROUP_RECORDS = 256;
const GROUP_BYTES = 1024 * 1024;

/** The file's rows from `offset` (a record boundary): values by column, or why a row cannot be read. Never throws for a bad row. */
export async function* readRows(path: string, reading: RowReading): AsyncGenerator<FileItem> {
  const stream = createReadStream(path, { start: reading.offset, highWaterMark: 1024 * 1024 });
  const split: SplitOptions = { quoted: reading.format === 'csv', delimiter: reading.delimiter.charCodeAt(0), maxRecordBytes: MAX_RECORD_BYTES, offset: reading.offset, line: reading.line };
  let group: SplitItem[] = [];
  let groupBytes = 0;
  try {
    for await (const item of splitRecords(stream, split)) {
      group.push(item);
      groupBytes += item.end - item.start;
      if (group.length >= GROUP_RECORDS || groupBytes >= GROUP_BYTES) {
        yield* readGroup(group, reading);
        group = [];
        groupBytes = 0;
      }
    }
    yield* readGroup(group, reading);
  } finally {
    stream.destroy();
  }
}

function readGroup(items: readonly SplitItem[], reading: RowReading): FileItem[] {
  const texts = items.map((item) => (item.kind === 'record' ? decode(item.bytes) : null));
  const good = texts.filter((t): t is string => t !== null);
  const grouped = reading.format === 'csv' ? csvGroupFields(good, reading.delimiter) : null;
  let next = 0;
  return items.map((item, i): FileItem => {
    const at = { line: item.line, end: item.end, nextLine: item.nextLine };
    if (item.kind === 'problem') return { kind: 'problem', ...at, reason: item.reason };
    const text = texts[i];
    if (text === null || text === undefined) return { kind: 'problem', ...at, reason: 'the row is not valid UTF-8 text' };
    const fields = grouped?.[next++];
    const values = reading.format === 'csv' ? csvValues(fields ?? text, reading.columns!, reading.delimiter) : jsonValues(text);
    return typeof values === 'string' ? { kind: 'problem', ...at, reason: values } : { kind: 'row', ...at, values, raw: item.bytes };
  });
}

function csvValues(record: string | string[], columns: string[], delimiter: string): Record<string, unknown> | string {
  let fields: string[];
  try {
    fields = typeof record === 'string' ? csvFields(record, delimiter) : record;
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message = (error as Error).message.replace(/\s*at line \d+.*$/s, '');
    return `the row is not valid CSV${code === 'CSV_INVALID_CLOSING_QUOTE' ? ' (a quote inside a quoted field must be doubled)' : ''}: ${message.slice(0, 200)}`;
  }
  if (fields.length !== columns.length) return `the row has ${fields.length} fields; the header has ${columns.length}`;
  const values: Record<string, unknown> = {};
  columns.forEach((column, i) => { values[column] = fields[i]; });
  return values;
}

function jsonValues(text: string): Record<string, unknown> | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `the line is not JSON: ${(error as Error).message.slice(0, 200)}`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'the line is JSON but not an object';
  return value as Record<string, unknown>;
}
