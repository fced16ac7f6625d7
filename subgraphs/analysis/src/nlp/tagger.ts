/**
 * Aspect-term extraction: a first-order BIO tagger trained as a structured (Collins) averaged perceptron
 * and decoded exactly (Viterbi over the three tags, I never after O). Features are domain-augmented
 * (every feature exists once as a shared copy and once conjoined with the domain), so a single model
 * serves laptops, restaurants, electronics and a generic mode that only uses the shared copies.
 */
import type { Token } from './tokenize.js';
import { LinearModel, rng, shuffle, type Features, type LinearModelJSON } from './linear.js';
import type { LexicalResources } from './resources.js';

export const TAGS = ['O', 'B', 'I'];
export type TaggerDomain = 'laptops' | 'restaurants' | 'electronics' | 'general';

function shape(w: string): string {
  return w.replace(/[A-Z]/g, 'X').replace(/[a-z]/g, 'x').replace(/[0-9]/g, 'd').replace(/(.)\1+/g, '$1$1');
}

/** Word-cluster features at these offsets (two granularities each). */
const CLUSTER_AT: Array<[number, string]> = [[0, 'c'], [-1, 'c-1'], [1, 'c+1'], [-2, 'c-2'], [2, 'c+2']];

/** Static (tag-independent) features of token i. */
export function staticFeatures(toks: Token[], i: number, res: LexicalResources | null): string[] {
  const t = toks[i];
  const at = (k: number) => toks[i + k];
  const low = (k: number) => at(k)?.lower ?? (k < 0 ? '<s>' : '</s>');
  const pos = (k: number) => at(k)?.pos ?? (k < 0 ? '<s>' : '</s>');
  const f: string[] = [
    'bias', 'w=' + t.lower, 'l=' + t.lemma, 's3=' + t.lower.slice(-3), 's2=' + t.lower.slice(-2), 'p3=' + t.lower.slice(0, 3),
    'sh=' + shape(t.text), 'pos=' + t.pos, 'w-1=' + low(-1), 'w+1=' + low(1), 'w-2=' + low(-2), 'w+2=' + low(2),
    'p-1=' + pos(-1), 'p+1=' + pos(1), 'p-2=' + pos(-2), 'p+2=' + pos(2), 'pp=' + pos(-1) + '|' + t.pos, 'pn=' + t.pos + '|' + pos(1),
    'ppn=' + pos(-1) + '|' + t.pos + '|' + pos(1), 'ww-1=' + low(-1) + '|' + t.lower, 'ww+1=' + t.lower + '|' + low(1),
  ];
  if (t.text[0] >= 'A' && t.text[0] <= 'Z') f.push(i === 0 ? 'cap0' : 'cap');
  if (/\d/.test(t.text)) f.push('digit');
  if (t.text.includes('-')) f.push('hyphen');
  {
    // lemmas around the word and word/POS pairs: "boots up", "runs smoothly" read as usage terms whatever the inflection
    const lem = (k: number) => at(k)?.lemma ?? (k < 0 ? '<s>' : '</s>');
    f.push('s4=' + t.lower.slice(-4), 'p2=' + t.lower.slice(0, 2), 'll-1=' + lem(-1) + '|' + t.lemma, 'll+1=' + t.lemma + '|' + lem(1), 'l-1=' + lem(-1), 'l+1=' + lem(1), 'pw-1=' + pos(-1) + '|' + t.lower, 'wp+1=' + t.lower + '|' + pos(1));
  }
  if (res) {
    for (const [k, tag] of CLUSTER_AT) {
      const w = at(k);
      if (!w) continue;
      const c0 = res.cluster(w.lower, 0), c1 = res.cluster(w.lower, 1);
      f.push(tag + 'a=' + c0, tag + 'b=' + c1);
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
    f.push('op=' + near);
    if (Math.abs(res.polarity(t.lower)) >= 0.3) f.push('selfop');
  }
  return f;
}

export interface TaggerModelJSON { kind: 'aspect-tagger'; model: LinearModelJSON; decoder?: 'viterbi' }

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
export function viterbi(n: number, emit: (i: number) => number[], trans: (i: number, p: number) => number[]): number[] {
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

export class AspectTagger {
  private lm: LinearModel;
  constructor(json: TaggerModelJSON, private res: LexicalResources | null) {
    this.lm = new LinearModel(json.model);
  }
  /** Returns [from, to] token ranges (inclusive) of aspect terms. */
  tag(toks: Token[], domain: TaggerDomain): Array<[number, number]> {
    return spansFromTags(this.tags(toks, domain));
  }
  tags(toks: Token[], domain: TaggerDomain): string[] {
    const lm = this.lm;
    const prefix = domain === 'general' ? null : domain[0] + ':';
    const f: Features = new Map();
    const score = (names: string[], base: number[]) => {
      f.clear();
      for (const x of names) {
        f.set(x, 1);
        if (prefix) f.set(prefix + x, 1);
      }
      const s = lm.scores(f); // starts from the bias (0: every class bias lives in the 'bias' feature)
      for (let c = 0; c < 3; c++) s[c] += base[c];
      return s;
    };
    // the previous-tag feature alone does not depend on the token: scored once per call
    const zero = [0, 0, 0];
    const prevOnly = PREV.map((p) => score(['t-1=' + p], zero));
    const seq = viterbi(toks.length, (i) => score(staticFeatures(toks, i, this.res), zero),
      (i, p) => score(['tw=' + PREV[p] + '|' + toks[i].lower], prevOnly[p]));
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
  data: Array<{ toks: Token[]; tags: string[]; domain: TaggerDomain }>,
  res: LexicalResources | null,
  opts: { epochs?: number; seed?: number; prune?: number; log?: (s: string) => void } = {},
): TaggerModelJSON {
  const W = new AveragedWeights();
  const stat = data.map((d) => d.toks.map((_, i) => copies(staticFeatures(d.toks, i, res), d.domain)));
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
  return { kind: 'aspect-tagger', model: W.finish(opts.prune ?? 0.15), decoder: 'viterbi' };
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
