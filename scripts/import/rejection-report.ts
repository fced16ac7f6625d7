import { open, type FileHandle } from 'node:fs/promises';

/** A row the import did not store, and why. */
export interface RejectedRow { line: number; field: string | null; code: string; reason: string }

const HEADER = 'line,field,code,reason\n';

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The report of rejected rows, a CSV file; on a resumed import it is cut back to what the checkpoint had counted. */
export class RejectionReport {
  private constructor(private readonly handle: FileHandle, private size: number) {}

  static async open(path: string, keepBytes: number | null): Promise<RejectionReport> {
    const handle = await open(path, keepBytes === null ? 'w' : 'r+');
    if (keepBytes === null) {
      await handle.write(HEADER);
      return new RejectionReport(handle, Buffer.byteLength(HEADER));
    }
    await handle.truncate(keepBytes);
    return new RejectionReport(handle, keepBytes);
  }

  get bytes(): number {
    return this.size;
  }

  async add(rows: readonly RejectedRow[]): Promise<void> {
    if (rows.length === 0) return;
    const text = rows.map((r) => `${r.line},${r.field ?? ''},${r.code},${csvCell(r.reason.replace(/\s+/g, ' '))}\n`).join('');
    const bytes = Buffer.from(text);
    await this.handle.write(bytes, 0, bytes.length, this.size);
    this.size += bytes.length;
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}
