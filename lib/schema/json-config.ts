import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { z } from 'zod';
import type { SchemaProblem } from './problem.js';

export type ConfigResult<T> = { ok: true; value: T; present: boolean } | { ok: false; problem: SchemaProblem };

/** The 1-based line and column of a character offset in `text`. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

/**
 * Reads a committed JSON config with a zod schema. A missing file is `present: false` with `fallback`;
 * a file that is not JSON or does not fit is one problem naming the file, the position or path, and the fix.
 */
export function readJsonConfig<S extends z.ZodType>(file: string, root: string, schema: S, code: string, hint: string, fallback?: z.infer<S>): ConfigResult<z.infer<S>> {
  const shown = relative(root, file) || file;
  const fail = (message: string, line = 1, column = 1): ConfigResult<z.infer<S>> => ({ ok: false, problem: { code, message: `${shown}: ${message}`, hint, locations: [{ subgraph: '-', file: shown, line, column }] } });
  if (!existsSync(file)) {
    if (fallback !== undefined) return { ok: true, value: fallback, present: false };
    return fail('file is missing');
  }
  const text = readFileSync(file, 'utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const offset = Number(/position (\d+)/.exec(message)?.[1] ?? NaN);
    const at = Number.isFinite(offset) ? positionOf(text, offset) : { line: 1, column: 1 };
    return fail(`not valid JSON (${message.replace(/^.*?: /, '').slice(0, 120)})`, at.line, at.column);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    return fail(parsed.error.issues.map((issue) => `${issue.path.join('.') || '(top level)'}: ${issue.message}`).join('; '));
  }
  return { ok: true, value: parsed.data, present: true };
}
