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
  return loadAbsaFile(domain === 'laptops' ? 'Laptop_Train_v2.xml' : 'Restaurants_Train_v2.xml', domain, false);
}

/**
 * A SemEval-format file; `tokenised` files (lower-cased, space-tokenised as distributed) are
 * detokenised the way raw review text reads, and their terms located again in the new text.
 */
export function loadAbsaFile(file: string, domain: string, tokenised: boolean): AbsaSentence[] {
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
    const text = decodeXml(tm[1]);
    if (!tokenised) { out.push({ id: attr(m[1], 'id'), text, aspects, categories, domain }); continue; }
    const clean = detokenise(text);
    const moved = aspects.map((a) => relocate(a, text, clean)).filter((a): a is GoldAspect => a !== null);
    out.push({ id: attr(m[1], 'id'), text: clean, aspects: moved, categories, domain });
  }
  return out;
}

/** The gold term in the detokenised text: the occurrence nearest to its relative position in the tokenised one. */
function relocate(a: GoldAspect, tokenised: string, clean: string): GoldAspect | null {
  const term = detokenise(a.term, false);
  const low = clean.toLowerCase(), t = term.toLowerCase();
  if (!t) return null;
  const want = (a.from / Math.max(1, tokenised.length)) * clean.length;
  let best = -1;
  for (let i = low.indexOf(t); i >= 0; i = low.indexOf(t, i + 1)) if (best < 0 || Math.abs(i - want) < Math.abs(best - want)) best = i;
  return best < 0 ? null : { term: clean.slice(best, best + t.length), polarity: a.polarity, from: best, to: best + t.length };
}

/**
 * Raw-text form of a lower-cased, space-tokenised sentence as distributed ("it does n 't show , " ->
 * "It doesn't show,"): clitics and punctuation re-attached, sentence starts and "i" capitalised.
 */
export function detokenise(s: string, capitalise = true): string {
  let t = ' ' + s.replace(/\s+/g, ' ').trim() + ' ';
  t = t.replace(/ n ?'t /g, "n't ").replace(/ '(s|re|ve|ll|d|m) /g, "'$1 ");
  t = t.replace(/ (``|'') /g, ' " ').replace(/ ([.,;:!?%)\]}]|\.\.\.)(?= )/g, '$1').replace(/ ([(\[{$#]) /g, ' $1');
  t = t.replace(/ " (.*?) " /g, ' "$1" ');
  t = t.trim();
  if (!capitalise) return t;
  t = t.replace(/(^|[.!?] )([a-z])/g, (_m, p: string, c: string) => p + c.toUpperCase()).replace(/\bi\b(?!['-])|\bi(?='(m|ve|ll|d)\b)/g, 'I');
  return t;
}

/** Reviews or sentences with a label: `text<TAB>label` per line (the product files). */
export function loadTsv(file: string, tokenised: boolean): Array<{ text: string; label: number }> {
  const raw = readFileSync(resolve(dataDir(), 'product', file), 'utf8');
  const out: Array<{ text: string; label: number }> = [];
  for (const line of raw.split(/\r?\n/)) {
    const tab = line.lastIndexOf('\t');
    if (tab < 0) continue;
    const label = Number(line.slice(tab + 1).trim());
    const text = line.slice(0, tab).trim();
    if (!text || !Number.isFinite(label)) continue;
    out.push({ text: tokenised ? detokenise(text) : text, label });
  }
  return out;
}

/** 32-bit FNV-1a of a string (stable across runs and machines). */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
  return h >>> 0;
}

/**
 * The fixed test split of the product data: one text in five, chosen by the hash of its id (file and
 * sentence id, or file and text for the line files). No training run and no choice made while
 * developing ever reads it; only the final section of eval:nlp does.
 */
export function inTestSplit(key: string): boolean {
  return fnv1a('rg-test-split|' + key) % 5 === 0;
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
