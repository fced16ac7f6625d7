/**
 * Opinion-word attachment for aspect polarity: every opinion word of a
 * sentence (lexicon polarity, hedge) is attached to the nearest aspect term of
 * that sentence, where crossing a clause boundary ("but", ",", ";", "and" +
 * new subject, ...) costs much more than a token of distance; coordinated
 * terms ("the food, service and decor were great") count as one. A term then
 * gets features only from the opinion words attached to it, plus cues that it
 * carries no opinion at all (nothing attached, question, request, usage list).
 */
import type { Token } from './tokenize.js';
import { addFeature, type Features } from './linear.js';
import type { LexicalResources } from './resources.js';
import type { TokenAnnotation } from './sentiment.js';

/** Minimum |prior| for a word to count as an opinion word. */
const OPINION_MIN = 0.25;
/** Cost of crossing one clause boundary, in tokens of distance. */
const BARRIER_COST = 8;

const BARRIER = new Set([',', ';', ':', '.', '!', '?', '(', ')', '-', '--', '—', 'but', 'however', 'although', 'though', 'whereas', 'while', 'yet', 'except', 'because', 'which', 'that', 'when']);
const SUBJECT_START = new Set(['i', 'we', 'you', 'he', 'she', 'they', 'it', 'the', 'this', 'that', 'these', 'those', 'my', 'our', 'their', 'its', 'there']);
const COORD = new Set([',', 'and', 'or', '&', '/', 'as', 'well', 'plus']);
const REQUEST = new Set(['wish', 'want', 'wanted', 'need', 'needed', 'hope', 'hoping', 'looking', 'ask', 'asked', 'should', 'would', 'could', 'if', 'whether']);

export type Span = [number, number];

function isBarrier(toks: Token[], i: number): boolean {
  const w = toks[i].lower;
  if (BARRIER.has(w)) return true;
  // "and" followed by a new subject opens a new clause
  return (w === 'and' || w === 'or') && SUBJECT_START.has(toks[i + 1]?.lower ?? '');
}

/** The term [s, e] and the terms of `terms` coordinated with it (only commas, "and", "or", determiners between; no new subject). */
function coordinated(toks: Token[], s: number, e: number, terms: Span[]): Span[] {
  const sorted = [...terms, [s, e] as Span].sort((p, q) => p[0] - q[0]);
  const me = sorted.findIndex(([x, y]) => x === s && y === e);
  const linked = (p: Span, q: Span) => {
    if (q[0] <= p[1]) return false;
    for (let i = p[1] + 1; i < q[0]; i++) {
      if (!COORD.has(toks[i].lower) && toks[i].pos !== 'DET') return false;
      // "the pasta and the waiter was rude": "and" + a new subject opens a new clause
      if (toks[i].lower !== ',' && isBarrier(toks, i)) return false;
    }
    return true;
  };
  const out: Span[] = [[s, e]];
  for (let j = me; j > 0 && linked(sorted[j - 1], sorted[j]); j--) out.push(sorted[j - 1]);
  for (let j = me; j < sorted.length - 1 && linked(sorted[j], sorted[j + 1]); j++) out.push(sorted[j + 1]);
  return out;
}

/** Cost of attaching the token at i to the span [s, e]. */
function attachCost(barrierPrefix: number[], lo: number, i: number, s: number, e: number): number {
  if (i >= s && i <= e) return 0;
  const [a, b] = i < s ? [i, s] : [e, i];
  const barriers = barrierPrefix[b - lo] - barrierPrefix[a + 1 - lo];
  return b - a + BARRIER_COST * barriers;
}

/**
 * Features of the opinion words attached to term [s, e] among the terms `others`
 * (other aspect spans of the same sentence; the term itself may be included).
 */
export function opinionFeatures(
  toks: Token[], s: number, e: number, lo: number, hi: number, others: Span[],
  ann: TokenAnnotation[], res: LexicalResources | null,
): Features {
  const f: Features = new Map();
  const put = (name: string, v = 1) => addFeature(f, name, v);
  const terms = others.filter(([x, y]) => !(x === s && y === e) && x >= lo && y <= hi);
  // prefix counts of barrier tokens: barriers strictly between a and b = P[b] - P[a + 1]
  const P = new Array<number>(hi - lo + 2).fill(0);
  for (let i = lo; i <= hi; i++) P[i - lo + 1] = P[i - lo] + (isBarrier(toks, i) ? 1 : 0);
  const inTerm = (i: number) => (i >= s && i <= e) || terms.some(([x, y]) => i >= x && i <= y);
  // coordinated terms ("the food, service and decor were great") share their opinion words
  const mine = coordinated(toks, s, e, terms);
  const rivals = terms.filter((t) => !mine.includes(t));
  if (mine.length > 1) put('coord');
  let nAtt = 0, nSent = 0, pos = 0, neg = 0, nearest = Infinity, nearestVal = 0;
  for (let i = lo; i <= hi; i++) {
    if (inTerm(i)) continue;
    const t = toks[i];
    const an = ann[i - lo];
    let p = an.hedge ? an.hedgePolarity : res ? res.polarity(t.lower) || res.polarity(t.lemma) : 0;
    if (Math.abs(p) < OPINION_MIN && !(an.hedge && p !== 0)) continue;
    if (!an.hedge && an.neg) p = -0.8 * p;
    p *= an.intensity;
    nSent++;
    let own = Infinity;
    for (const [x, y] of mine) own = Math.min(own, attachCost(P, lo, i, x, y));
    let best = Infinity;
    for (const [x, y] of rivals) best = Math.min(best, attachCost(P, lo, i, x, y));
    if (own > best) continue; // belongs to another term (ties go to this term)
    nAtt++;
    if (p > 0) pos += p; else neg -= p;
    put('AW:' + (an.neg && !an.hedge ? 'NOT_' : '') + t.lemma, 1 / (1 + own / 4));
    if (own < nearest) { nearest = own; nearestVal = p; }
  }
  put('att:n' + Math.min(nAtt, 2));
  put('att:bal', pos - neg);
  put('att:pos', Math.log1p(pos));
  put('att:neg', Math.log1p(neg));
  if (nAtt) put('att:near', nearestVal);
  if (!nAtt && nSent) put('att:noneButSent');
  if (!nSent) put('att:sentNone');
  put('nT:' + Math.min(terms.length + 1, 3));
  // no-opinion cues: question, request/wish/conditional, term in a list, term in brackets
  if (toks[hi]?.lower === '?') put('cue:question');
  for (let i = lo; i <= hi; i++) if (REQUEST.has(toks[i].lower)) { put('cue:req:' + toks[i].lower, 0.5); }
  const prev = toks[s - 1]?.lower, next = toks[e + 1]?.lower;
  if (s > lo && (prev === ',' || prev === 'and') && (next === ',' || next === 'and' || next === '.' || next === ')')) put('cue:list');
  let open = false;
  for (let i = lo; i < s; i++) { if (toks[i].lower === '(') open = true; else if (toks[i].lower === ')') open = false; }
  if (open) put('cue:paren');
  return f;
}

const CLAUSE_BREAK = new Set([',', ';', ':', '.', '!', '?', '(', ')', '-', '--', '—', 'but', 'however', 'although', 'though', 'whereas', 'while', 'yet', 'except']);

/** Token range [a, b] of the clause containing tokens [s, e], within sentence [lo, hi]. */
export function clauseOf(toks: Token[], s: number, e: number, lo: number, hi: number): [number, number] {
  let a = s, b = e;
  while (a > lo && !CLAUSE_BREAK.has(toks[a - 1].lower)) a--;
  while (b < hi && !CLAUSE_BREAK.has(toks[b + 1].lower)) b++;
  // a clause that is only the term (e.g. "Screen: great") extends to the next clause
  if (a === s && b === e) {
    if (b < hi) { b++; while (b < hi && !CLAUSE_BREAK.has(toks[b + 1].lower)) b++; }
  }
  return [a, b];
}
