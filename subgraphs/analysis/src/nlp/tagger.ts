/**
 * Aspect-term extraction: a first-order BIO tagger trained as a structured (Collins) averaged perceptron
 * and decoded exactly (Viterbi over the three tags, I never after O). Features are domain-augmented
 * (every feature exists once as a shared copy and once conjoined with the domain), so a single model
 * serves laptops, restaurants, electronics and a generic mode that only uses the shared copies.
 */
import type { Token } from './tokenize.js';
import { rng, shuffle, type LinearModelJSON } from './linear.js';
import type { LexicalResources } from './resources.js';

export const TAGS = ['O', 'B', 'I'];
export type TaggerDomain = 'laptops' | 'restaurants' | 'electronics' | 'general';

function shape(w: string): string {
  return w.replace(/[A-Z]/g, 'X').replace(/[a-z]/g, 'x').replace(/[0-9]/g, 'd').replace(/(.)\1+/g, '$1$1');
}

/** Word-cluster features at these offsets (two granularities each). */
const CLUSTER_AT: Array<[number, string, string]> = [[0, 'c'], [-1, 'c-1'], [1, 'c+1'], [-2, 'c-2'], [2, 'c+2']].map(([k, tag]) => [k as number, tag + 'a=', tag + 'b=']);

/**
 * Where the category's aspect taxonomy (a hand list of product terms, taxonomy.ts) matches the tokens: 1 on the first
 * token of a match, 2 on the others, 0 elsewhere. A tagger trained with them learns how far to trust a listed term
 * per domain, instead of every match being added to its terms.
 */
export type TaxonomyMarks = ArrayLike<number>;
const TAX_MARK = ['', 'B', 'I'];

/** Receives one feature as its template (the name up to and including its first '=', or the whole name) and its value. */
type EmitFeature = (template: string, value: string) => void;

/**
 * Static (tag-independent) features of token i, each as template + value (the decoder looks the value up in its
 * template's table, so no feature name is built while tagging; training joins them into names).
 */
function emitStatic(toks: Token[], i: number, res: LexicalResources | null, emit: EmitFeature, tax?: TaxonomyMarks | null): void {
  const t = toks[i];
  const at = (k: number) => toks[i + k];
  const low = (k: number) => at(k)?.lower ?? (k < 0 ? '<s>' : '</s>');
  const pos = (k: number) => at(k)?.pos ?? (k < 0 ? '<s>' : '</s>');
  emit('bias', ''); emit('w=', t.lower); emit('l=', t.lemma); emit('s3=', t.lower.slice(-3)); emit('s2=', t.lower.slice(-2)); emit('p3=', t.lower.slice(0, 3));
  emit('sh=', shape(t.text)); emit('pos=', t.pos); emit('w-1=', low(-1)); emit('w+1=', low(1)); emit('w-2=', low(-2)); emit('w+2=', low(2));
  emit('p-1=', pos(-1)); emit('p+1=', pos(1)); emit('p-2=', pos(-2)); emit('p+2=', pos(2)); emit('pp=', pos(-1) + '|' + t.pos); emit('pn=', t.pos + '|' + pos(1));
  emit('ppn=', pos(-1) + '|' + t.pos + '|' + pos(1)); emit('ww-1=', low(-1) + '|' + t.lower); emit('ww+1=', t.lower + '|' + low(1));
  if (t.text[0] >= 'A' && t.text[0] <= 'Z') emit(i === 0 ? 'cap0' : 'cap', '');
  if (/\d/.test(t.text)) emit('digit', '');
  if (t.text.includes('-')) emit('hyphen', '');
  {
    // lemmas around the word and word/POS pairs: "boots up", "runs smoothly" read as usage terms whatever the inflection
    const lem = (k: number) => at(k)?.lemma ?? (k < 0 ? '<s>' : '</s>');
    emit('s4=', t.lower.slice(-4)); emit('p2=', t.lower.slice(0, 2)); emit('ll-1=', lem(-1) + '|' + t.lemma); emit('ll+1=', t.lemma + '|' + lem(1));
    emit('l-1=', lem(-1)); emit('l+1=', lem(1)); emit('pw-1=', pos(-1) + '|' + t.lower); emit('wp+1=', t.lower + '|' + pos(1));
  }
  if (res) {
    for (const [k, a, b] of CLUSTER_AT) {
      const w = at(k);
      if (!w) continue;
      emit(a, String(res.cluster(w.lower, 0)));
      emit(b, String(res.cluster(w.lower, 1)));
    }
    // distance to the nearest opinion word (aspect terms sit near opinions)
    let near = 9;
    for (let k = 1; k <= 4; k++) {
      for (const j of [i - k, i + k]) {
        const w = toks[j];
        if (w && Math.abs(res.polarity(w.lower)) >= 0.3) { near = Math.min(near, k); }
      }
      if (near < 9) break;
    }
    emit('op=', String(near));
    if (Math.abs(res.polarity(t.lower)) >= 0.3) emit('selfop', '');
  }
  if (tax?.[i]) emit('tx=', TAX_MARK[tax[i]] + (tax[i + 1] === 2 ? '+' : ''));
}

/** Static (tag-independent) feature names of token i. */
export function staticFeatures(toks: Token[], i: number, res: LexicalResources | null, tax?: TaxonomyMarks | null): string[] {
  const f: string[] = [];
  emitStatic(toks, i, res, (template, value) => f.push(template + value), tax);
  return f;
}

/** The template and value of a static feature's name (inverse of emitStatic's joining). */
function splitFeature(name: string): [string, string] {
  const eq = name.indexOf('=');
  return eq < 0 ? [name, ''] : [name.slice(0, eq + 1), name.slice(eq + 1)];
}

/** `taxonomy`: trained with the taxonomy marks as features (the engine then passes them instead of adding every match). */
export interface TaggerModelJSON { kind: 'aspect-tagger'; model: LinearModelJSON; decoder?: 'viterbi'; taxonomy?: boolean }

/** Names of the features of token i that depend on the previous tag (first-order model). */
function historyNames(prev: string, lower: string): string[] {
  return ['t-1=' + prev, 'tw=' + prev + '|' + lower];
}

/** Every feature once shared and once conjoined with the domain. */
function copies(names: string[], domain: TaggerDomain): string[] {
  const out: string[] = [];
  for (const s of names) {
    out.push(s);
    if (domain !== 'general') out.push(domain[0] + ':' + s);
  }
  return out;
}

const PREV = ['<s>', ...TAGS];
/** I may not follow O or open a sentence (BIO). */
const LEGAL = (p: number, c: number) => !(TAGS[c] === 'I' && (p === 0 || PREV[p] === 'O'));

/**
 * Exact best tag sequence of a first-order model: emit(i) gives the tag scores from token i's own features,
 * trans(i, p) those of the features joining token i with previous tag PREV[p] (0 = sentence start).
 */
export function viterbi(n: number, emit: (i: number) => ArrayLike<number>, trans: (i: number, p: number) => ArrayLike<number>): number[] {
  if (!n) return [];
  const K = TAGS.length;
  const back: Int8Array[] = [];
  let cur = new Float64Array(K);
  const e0 = emit(0), t0 = trans(0, 0);
  for (let c = 0; c < K; c++) cur[c] = LEGAL(0, c) ? e0[c] + t0[c] : -Infinity;
  back.push(new Int8Array(K).fill(0));
  for (let i = 1; i < n; i++) {
    const e = emit(i);
    const next = new Float64Array(K).fill(-Infinity);
    const bp = new Int8Array(K);
    for (let p = 0; p < K; p++) {
      if (cur[p] === -Infinity) continue;
      const t = trans(i, p + 1);
      for (let c = 0; c < K; c++) {
        if (!LEGAL(p + 1, c)) continue;
        const v = cur[p] + e[c] + t[c];
        if (v > next[c]) { next[c] = v; bp[c] = p + 1; }
      }
    }
    cur = next;
    back.push(bp);
  }
  let best = 0;
  for (let c = 1; c < K; c++) if (cur[c] > cur[best]) best = c;
  const out = new Array<number>(n);
  for (let i = n - 1; i >= 0; i--) { out[i] = best; best = back[i][best] - 1; }
  return out;
}

/** Index of each domain's copy of a feature in a TaggerWeights slot (0 is the shared copy). */
const DOMAIN_COPY: Record<TaggerDomain, number> = { general: 0, laptops: 1, restaurants: 2, electronics: 3 };
const COPY_PREFIX: Record<string, number> = { 'l:': 1, 'r:': 2, 'e:': 3 };

/**
 * A tagger's weights indexed for decoding: one look-up of a feature's name gives the rows of its shared copy and of
 * every domain's copy (no domain-prefixed name is built), and one look-up of a word gives the rows of all its
 * previous-tag features. Scores are summed in the order of the name-by-name scoring (each feature's shared copy,
 * then its domain copy), so the decoded tags are the same to the last bit.
 */
class TaggerWeights {
  /** template -> value -> slot of a feature name without domain prefix (see splitFeature); rows[slot * 4 + copy] is its row in w, or -1 */
  private readonly slots = new Map<string, Map<string, number>>();
  private nSlots = 0;
  private rows: Int32Array;
  /** word -> slot of its 'tw=PREV|word' features; histRows[slot * 16 + prev * 4 + copy] */
  private readonly histSlots = new Map<string, number>();
  private histRows: Int32Array;
  private readonly w: Float64Array;
  readonly bias: number[];
  constructor(json: LinearModelJSON) {
    this.bias = json.bias;
    const entries = Object.entries(json.weights);
    this.w = new Float64Array(entries.length * 3);
    const rows: number[] = [], hist: number[] = [];
    entries.forEach(([name, ws], row) => {
      for (let c = 0; c < 3; c++) this.w[row * 3 + c] = ws[c] ?? 0;
      const copy = COPY_PREFIX[name.slice(0, 2)] ?? 0;
      const base = copy ? name.slice(2) : name;
      const tw = base.startsWith('tw=') ? base.indexOf('|') : -1;
      if (tw > 0) {
        const prev = PREV.indexOf(base.slice(3, tw));
        const word = base.slice(tw + 1);
        let slot = this.histSlots.get(word);
        if (slot === undefined) { slot = this.histSlots.size; this.histSlots.set(word, slot); for (let k = 0; k < 16; k++) hist.push(-1); }
        if (prev >= 0) { hist[slot * 16 + prev * 4 + copy] = row; return; }
      }
      const [template, value] = splitFeature(base);
      let byValue = this.slots.get(template);
      if (!byValue) { byValue = new Map(); this.slots.set(template, byValue); }
      let slot = byValue.get(value);
      if (slot === undefined) { slot = this.nSlots++; byValue.set(value, slot); rows.push(-1, -1, -1, -1); }
      rows[slot * 4 + copy] = row;
    });
    this.rows = Int32Array.from(rows);
    this.histRows = Int32Array.from(hist);
  }
  /** The slot of a feature given as template and value, or -1. */
  slot(template: string, value: string): number {
    return this.slots.get(template)?.get(value) ?? -1;
  }
  /** Adds to s the weights of a slot's shared copy, then (copy > 0) of its domain copy. */
  addSlot(s: Float64Array, slot: number, copy: number): void {
    if (slot < 0) return;
    const w = this.w, rows = this.rows;
    const r0 = rows[slot * 4];
    if (r0 >= 0) { const o = r0 * 3; s[0] += w[o]; s[1] += w[o + 1]; s[2] += w[o + 2]; }
    if (!copy) return;
    const r1 = rows[slot * 4 + copy];
    if (r1 >= 0) { const o = r1 * 3; s[0] += w[o]; s[1] += w[o + 1]; s[2] += w[o + 2]; }
  }
  /** The row block of a word's previous-tag features, or -1. */
  histSlot(word: string): number {
    return this.histSlots.get(word) ?? -1;
  }
  /** Adds to s the weights of 'tw=PREV[prev]|word' (shared, then domain copy) for a word's histSlot. */
  addHistory(s: Float64Array, slot: number, prev: number, copy: number): void {
    if (slot < 0) return;
    const w = this.w, base = slot * 16 + prev * 4;
    const r0 = this.histRows[base];
    if (r0 >= 0) { const o = r0 * 3; s[0] += w[o]; s[1] += w[o + 1]; s[2] += w[o + 2]; }
    if (!copy) return;
    const r1 = this.histRows[base + copy];
    if (r1 >= 0) { const o = r1 * 3; s[0] += w[o]; s[1] += w[o + 1]; s[2] += w[o + 2]; }
  }
}

export class AspectTagger {
  private weights: TaggerWeights;
  /** whether the model reads taxonomy marks (TaxonomyMarks) */
  readonly usesTaxonomy: boolean;
  constructor(json: TaggerModelJSON, private res: LexicalResources | null) {
    this.weights = new TaggerWeights(json.model);
    this.usesTaxonomy = json.taxonomy === true;
  }
  /** Returns [from, to] token ranges (inclusive) of aspect terms. */
  tag(toks: Token[], domain: TaggerDomain, tax?: TaxonomyMarks | null): Array<[number, number]> {
    return spansFromTags(this.tags(toks, domain, tax));
  }
  tags(toks: Token[], domain: TaggerDomain, tax?: TaxonomyMarks | null): string[] {
    const W = this.weights;
    const copy = DOMAIN_COPY[domain];
    const [b0, b1, b2] = W.bias;
    // the previous-tag feature alone does not depend on the token: scored once per call
    const prevOnly = PREV.map((p) => {
      const s = Float64Array.of(b0, b1, b2);
      W.addSlot(s, W.slot('t-1=', p), copy);
      return s;
    });
    const e = new Float64Array(3), t = new Float64Array(3);
    const emit: EmitFeature = (template, value) => W.addSlot(e, W.slot(template, value), copy);
    const hist = toks.map((x) => W.histSlot(x.lower));
    const seq = viterbi(toks.length, (i) => {
      e[0] = b0; e[1] = b1; e[2] = b2;
      emitStatic(toks, i, this.res, emit, this.usesTaxonomy ? tax : null);
      return e;
    }, (i, p) => {
      t[0] = b0; t[1] = b1; t[2] = b2;
      W.addHistory(t, hist[i], p, copy);
      const po = prevOnly[p];
      t[0] += po[0]; t[1] += po[1]; t[2] += po[2];
      return t;
    });
    return seq.map((c) => TAGS[c]);
  }
}

export function spansFromTags(tags: string[]): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let start = -1;
  for (let i = 0; i <= tags.length; i++) {
    const t = tags[i] ?? 'O';
    if (t === 'B' || t === 'O') {
      if (start >= 0) spans.push([start, i - 1]);
      start = t === 'B' ? i : -1;
    }
  }
  return spans;
}

/** Averaged weights of a structured perceptron (per feature, one weight per tag; averaged lazily by time stamps). */
class AveragedWeights {
  private w = new Map<string, Float64Array>();
  private acc = new Map<string, Float64Array>();
  private stamp = new Map<string, Float64Array>();
  t = 0;
  scores(names: string[]): number[] {
    const s = [0, 0, 0];
    for (const n of names) {
      const w = this.w.get(n);
      if (w) for (let c = 0; c < 3; c++) s[c] += w[c];
    }
    return s;
  }
  add(names: string[], c: number, d: number): void {
    for (const n of names) {
      let w = this.w.get(n);
      if (!w) { w = new Float64Array(3); this.w.set(n, w); this.acc.set(n, new Float64Array(3)); this.stamp.set(n, new Float64Array(3)); }
      const a = this.acc.get(n)!, st = this.stamp.get(n)!;
      a[c] += (this.t - st[c]) * w[c];
      st[c] = this.t;
      w[c] += d;
    }
  }
  finish(prune: number): LinearModelJSON {
    const weights: Record<string, number[]> = {};
    for (const [n, w] of this.w) {
      const a = this.acc.get(n)!, st = this.stamp.get(n)!;
      const avg = [0, 1, 2].map((c) => Math.round(((a[c] + (this.t - st[c]) * w[c]) / Math.max(1, this.t)) * 10000) / 10000);
      if (avg.some((x) => Math.abs(x) >= prune)) weights[n] = avg;
    }
    return { classes: TAGS, bias: [0, 0, 0], weights };
  }
}

/**
 * Structured (Collins) perceptron over whole sentences: each sentence is decoded with the current weights
 * (Viterbi) and, where the best sequence differs from the gold one, the gold path's features are rewarded
 * and the predicted path's penalised; the weights are averaged over all steps.
 */
export function trainTagger(
  data: Array<{ toks: Token[]; tags: string[]; domain: TaggerDomain; tax?: TaxonomyMarks }>,
  res: LexicalResources | null,
  opts: { epochs?: number; seed?: number; prune?: number; log?: (s: string) => void } = {},
): TaggerModelJSON {
  const W = new AveragedWeights();
  const stat = data.map((d) => d.toks.map((_, i) => copies(staticFeatures(d.toks, i, res, d.tax), d.domain)));
  const taxonomy = data.some((d) => d.tax);
  const gold = data.map((d) => d.tags.map((t) => TAGS.indexOf(t)));
  const order = data.map((_, i) => i);
  const rand = rng(opts.seed ?? 3);
  const epochs = opts.epochs ?? 8;
  for (let ep = 0; ep < epochs; ep++) {
    shuffle(order, rand);
    let errs = 0, n = 0;
    for (const di of order) {
      const d = data[di], g = gold[di];
      const hist = (i: number, p: number) => copies(historyNames(PREV[p], d.toks[i].lower), d.domain);
      const pred = viterbi(d.toks.length, (i) => W.scores(stat[di][i]), (i, p) => W.scores(hist(i, p)));
      W.t++;
      for (let i = 0; i < pred.length; i++) {
        n++;
        const gp = i ? g[i - 1] + 1 : 0, pp = i ? pred[i - 1] + 1 : 0;
        if (pred[i] !== g[i]) { errs++; W.add(stat[di][i], g[i], 1); W.add(stat[di][i], pred[i], -1); }
        if (pred[i] !== g[i] || gp !== pp) { W.add(hist(i, gp), g[i], 1); W.add(hist(i, pp), pred[i], -1); }
      }
    }
    opts.log?.(`  tagger epoch ${ep + 1}/${epochs}: token error ${(100 * errs / Math.max(1, n)).toFixed(2)}%`);
  }
  return { kind: 'aspect-tagger', model: W.finish(opts.prune ?? 0.15), decoder: 'viterbi', ...(taxonomy ? { taxonomy } : {}) };
}

/** BIO tags from gold character spans. */
export function goldTags(toks: Token[], spans: Array<{ from: number; to: number }>): string[] {
  const tags = toks.map(() => 'O');
  for (const s of spans) {
    let first = true;
    for (let i = 0; i < toks.length; i++) {
      if (toks[i].end <= s.from || toks[i].start >= s.to) continue;
      tags[i] = first ? 'B' : 'I';
      first = false;
    }
  }
  return tags;
}
