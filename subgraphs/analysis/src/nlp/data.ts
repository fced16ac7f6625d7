/**
 * Loaders for the shared evaluation data (used by the train / eval scripts only).
 * The data directory is resolved relative to the project root (../shared/data)
 * unless REVIEWGRAPH_DATA_DIR is set.
 */
import { readFileSync, existsSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

export function dataDir(): string {
  const d = process.env.REVIEWGRAPH_DATA_DIR ?? resolve(PROJECT_ROOT, '../shared/data');
  if (!existsSync(d)) throw new Error(`data directory not found: ${d} (set REVIEWGRAPH_DATA_DIR)`);
  return d;
}

export interface LabelledSentence { text: string; label: 0 | 1; source: string }
export interface GoldAspect { term: string; polarity: string; from: number; to: number }
export interface AbsaSentence { id: string; text: string; aspects: GoldAspect[]; categories: Array<{ category: string; polarity: string }>; domain: string }

export function loadLabelled(name: 'yelp' | 'imdb'): LabelledSentence[] {
  const raw = readFileSync(resolve(dataDir(), 'sentiment', `${name}_labelled.txt`), 'utf8');
  const out: LabelledSentence[] = [];
  for (const line of raw.split(/\r?\n/)) {
    const tab = line.lastIndexOf('\t');
    if (tab < 0) continue;
    const label = line.slice(tab + 1).trim();
    if (label !== '0' && label !== '1') continue;
    out.push({ text: line.slice(0, tab).trim(), label: label === '1' ? 1 : 0, source: name });
  }
  return out;
}

function decodeXml(s: string): string {
  return s.replace(/&(quot|amp|lt|gt|apos|#\d+|#x[0-9a-f]+);/gi, (_m, e: string) => {
    switch (e.toLowerCase()) {
      case 'quot': return '"';
      case 'amp': return '&';
      case 'lt': return '<';
      case 'gt': return '>';
      case 'apos': return "'";
      default: return e[1] === 'x' || e[1] === 'X' ? String.fromCodePoint(parseInt(e.slice(2), 16)) : String.fromCodePoint(parseInt(e.slice(1), 10));
    }
  });
}

function attr(tag: string, name: string): string {
  const m = new RegExp(`\\b${name}="([^"]*)"`).exec(tag);
  return m ? decodeXml(m[1]) : '';
}

export function loadAbsa(domain: 'laptops' | 'restaurants'): AbsaSentence[] {
  const file = domain === 'laptops' ? 'Laptop_Train_v2.xml' : 'Restaurants_Train_v2.xml';
  const xml = readFileSync(resolve(dataDir(), 'absa', file), 'utf8');
  const out: AbsaSentence[] = [];
  const sentRe = /<sentence\b([^>]*)>([\s\S]*?)<\/sentence>/g;
  let m: RegExpExecArray | null;
  while ((m = sentRe.exec(xml))) {
    const body = m[2];
    const tm = /<text>([\s\S]*?)<\/text>/.exec(body);
    if (!tm) continue;
    const aspects: GoldAspect[] = [];
    for (const a of body.match(/<aspectTerm\b[^>]*\/?>/g) ?? []) {
      aspects.push({ term: attr(a, 'term'), polarity: attr(a, 'polarity'), from: Number(attr(a, 'from')), to: Number(attr(a, 'to')) });
    }
    const categories = (body.match(/<aspectCategory\b[^>]*\/?>/g) ?? []).map((c) => ({ category: attr(c, 'category'), polarity: attr(c, 'polarity') }));
    out.push({ id: attr(m[1], 'id'), text: decodeXml(tm[1]), aspects, categories, domain });
  }
  return out;
}

/** Deterministic k-fold assignment (seeded shuffle of indices). */
export function foldsOf(n: number, k: number, seed: number, rand: (seed: number) => () => number): number[] {
  const r = rand(seed);
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  const fold = new Array<number>(n);
  idx.forEach((v, i) => (fold[v] = i % k));
  return fold;
}
