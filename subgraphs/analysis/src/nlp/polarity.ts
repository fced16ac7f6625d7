/**
 * Aspect polarity: 3-class logistic regression over features of a window
 * around the aspect term (words with side and distance, negation scope,
 * contrast position), the lexicon balance of the clause holding the term, the
 * opinion words attached to the term (opinion.ts), and the margins of an
 * in-domain 3-class clause model (positive / negative / no opinion) for that
 * clause and the sentence.
 */
import type { Token, Tokenised } from './tokenize.js';
import { LinearModel, addFeature, averageModels, rng, shuffle, softmax, trainLogReg, type Features, type LinearModelJSON } from './linear.js';
import type { LexicalResources } from './resources.js';
import { SentimentModel, annotate, meanWink, sentenceFeatures, type SentimentModelJSON } from './sentiment.js';
import { CONTRAST_AFTER, STOPWORDS } from './lexicon.js';
import { opinionFeatures, type Span } from './opinion.js';

/** Logit shift given to the clause holding the term when the sentence has a contrast marker (tuned by cross-validation). */
const CLAUSE_BOOST = 1;

export const POLARITIES = ['NEGATIVE', 'NEUTRAL', 'POSITIVE'] as const;

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

export function polarityFeatures(
  tk: Tokenised, s: number, e: number, lo: number, hi: number, domain: string,
  res: LexicalResources | null, sent: SentimentModel | null, others: Span[] = [], clause: SentimentModel | null = null,
): Features {
  const toks = tk.tokens;
  const f: Features = new Map();
  const ann = annotate(toks, lo, hi);
  const [ca, cb] = clauseOf(toks, s, e, lo, hi);
  // domain-conjoined copies of the features were tried and hurt under cross-validation; only a domain bias is kept
  const put = (name: string, v = 1) => addFeature(f, name, v);
  addFeature(f, 'dom:' + domain);
  put('bias');
  for (let i = s; i <= e; i++) put('T:' + toks[i].lower);
  // window words with side and distance bucket
  for (let i = Math.max(lo, s - 6); i <= Math.min(hi, e + 6); i++) {
    if (i >= s && i <= e) continue;
    const t = toks[i];
    if (t.type === 'punctuation' && t.lower !== '!' && t.lower !== '?') continue;
    const d = i < s ? s - i : i - e;
    const side = i < s ? 'L' : 'R';
    const bucket = d <= 1 ? '1' : d <= 3 ? '3' : '6';
    const inClause = i >= ca && i <= cb;
    const w = (ann[i - lo].neg ? 'NOT_' : '') + t.lower;
    put(side + bucket + ':' + w);
    put((inClause ? 'C:' : 'X:') + w, inClause ? 1 : 0.5);
    if (res && !STOPWORDS.has(t.lower)) {
      const c = res.cluster(t.lower, 1);
      if (c >= 0 && inClause) put('CC:' + (ann[i - lo].neg ? 'NOT_' : '') + c);
    }
  }
  // clause words beyond the window
  for (let i = ca; i <= cb; i++) if (i < s - 6 || i > e + 6) put('C:' + (ann[i - lo].neg ? 'NOT_' : '') + toks[i].lower, 0.7);
  // lexicon balance of the clause and of the rest of the sentence
  if (res) {
    let cp = 0, cn = 0, rp = 0, rn = 0;
    for (let i = lo; i <= hi; i++) {
      const t = toks[i];
      const p = res.polarity(t.lower) || res.polarity(t.lemma);
      if (p === 0) continue;
      const an = ann[i - lo];
      const v = p * (an.neg ? -0.8 : 1) * an.intensity;
      if (i >= ca && i <= cb) { if (v > 0) cp += v; else cn -= v; } else { if (v > 0) rp += v; else rn -= v; }
    }
    put('lexC', cp - cn);
    put('lexC+', Math.log1p(cp));
    put('lexC-', Math.log1p(cn));
    put('lexR', (rp - rn) * 0.5);
    // averaged word vectors of the clause (negated words flipped), excluding the term
    const acc = new Float64Array(res.dims);
    let nv = 0;
    for (let i = ca; i <= cb; i++) {
      if (i >= s && i <= e) continue;
      const t = toks[i];
      if (STOPWORDS.has(t.lower) || t.type !== 'word') continue;
      if (res.addVector(t.lower, acc, ann[i - lo].neg ? -1 : 1)) nv++;
    }
    if (nv) for (let d = 0; d < acc.length; d++) put('v' + d, acc[d] / Math.sqrt(nv));
    // nearest adjective / verb to the term inside the clause
    let best = -1;
    for (let dd = 1; dd <= 8 && best < 0; dd++) for (const j of [e + dd, s - dd]) {
      if (j < ca || j > cb || best >= 0) continue;
      if (toks[j].pos === 'ADJ' || (toks[j].pos === 'VERB' && Math.abs(res.polarity(toks[j].lower)) > 0)) best = j;
    }
    if (best >= 0) {
      const neg = ann[best - lo].neg ? 'NOT_' : '';
      put('NA:' + neg + toks[best].lemma);
      const c = res.cluster(toks[best].lower, 1);
      if (c >= 0) put('NAC:' + neg + c);
      const p = res.polarity(toks[best].lower) * (neg ? -1 : 1);
      put('NAP', p);
    } else put('NA:none');
    if (cp === 0 && cn === 0) put('lexC0');
  }
  if (sent) {
    const mc = sent.scoreRange(tk, ca, cb, 0).margin;
    const ms = sent.scoreRange(tk, lo, hi, tk.winkSentiment[toks[s].sent] ?? 0).margin;
    put('smC', Math.tanh(mc / 2));
    put('smS', Math.tanh(ms / 2));
    put('smC' + (mc > 1 ? '+' : mc < -1 ? '-' : '0'));
  }
  if (clause) {
    // the in-domain 3-class clause model: its positive-vs-negative margin and how opinion-free the clause / sentence is
    const nu = clause.lm.classes.indexOf('NEUTRAL');
    for (const [name, a, b] of [['C', ca, cb], ['S', lo, hi]] as Array<[string, number, number]>) {
      const sc = clause.lm.scores(sentenceFeatures(tk, a, b, 0, res));
      const o = sc.filter((_, c) => c !== nu);
      put('icM' + name, Math.tanh(clause.scoreRange(tk, a, b, 0).margin / 2));
      if (nu >= 0) put('icN' + name, Math.tanh((sc[nu] - Math.max(...o)) / 2));
    }
  }
  // contrast position
  let contrastBefore = false, contrastAfter = false;
  for (let i = lo; i <= hi; i++) if (CONTRAST_AFTER.has(toks[i].lower) && toks[i].lower !== 'still') { if (i < s) contrastBefore = true; else if (i > e) contrastAfter = true; }
  if (contrastBefore) put('afterBut');
  if (contrastAfter) put('beforeBut');
  if (ann[s - lo].neg) put('termNegated');
  const n = tk.tokens.slice(lo, hi + 1).filter((t) => t.type === 'word').length;
  put(n <= 6 ? 'len:short' : n <= 15 ? 'len:mid' : 'len:long');
  if (toks[hi]?.lower === '!' || toks[hi - 1]?.lower === '!') put('excl');
  // opinion words attached to this term rather than to another term of the sentence
  for (const [k, v] of opinionFeatures(toks, s, e, lo, hi, others, ann, res)) put(k, v);
  return f;
}

export interface PolarityModelJSON {
  kind: 'aspect-polarity';
  model: LinearModelJSON;
  /** in-domain 3-class clause model (its margins are features, beside the generic sentence model's) */
  clause?: SentimentModelJSON;
}

export class PolarityModel {
  private lm: LinearModel;
  private clause: SentimentModel | null;
  constructor(json: PolarityModelJSON, private res: LexicalResources | null, private sent: SentimentModel | null) {
    this.lm = new LinearModel(json.model);
    this.clause = json.clause ? new SentimentModel(json.clause, res) : null;
  }
  classify(tk: Tokenised, s: number, e: number, lo: number, hi: number, domain: string, others: Span[] = []): { label: 'POSITIVE' | 'NEUTRAL' | 'NEGATIVE'; probs: number[]; score: number } {
    const sc = this.lm.scores(polarityFeatures(tk, s, e, lo, hi, domain, this.res, this.sent, others, this.clause));
    // the clause holding the term gets a direct say (the learned model leans on sentence-wide cues)
    if (this.sent && CLAUSE_BOOST > 0) {
      const [ca, cb] = clauseOf(tk.tokens, s, e, lo, hi);
      let contrast = -1;
      for (let i = lo; i <= hi && contrast < 0; i++) if (CONTRAST_AFTER.has(tk.tokens[i].lower) || tk.tokens[i].lower === 'although' || tk.tokens[i].lower === 'though' || tk.tokens[i].lower === 'whereas') contrast = i;
      if (contrast >= 0 && (ca > lo || cb < hi)) {
        const mc = Math.tanh(this.sent.scoreRange(tk, ca, cb, 0).margin / 2);
        // the clause right after "but" is the focus of the contrast
        const boost = CLAUSE_BOOST * (ca === contrast + 1 && CONTRAST_AFTER.has(tk.tokens[contrast].lower) ? 3 : 1);
        sc[this.lm.classes.indexOf('POSITIVE')] += boost * mc;
        sc[this.lm.classes.indexOf('NEGATIVE')] -= boost * mc;
      }
    }
    const p = softmax(sc);
    const byName = (c: string) => p[this.lm.classes.indexOf(c)];
    let best = 0;
    for (let c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
    const label = this.lm.classes[best] as 'POSITIVE' | 'NEUTRAL' | 'NEGATIVE';
    return { label, probs: p, score: byName('POSITIVE') - byName('NEGATIVE') };
  }
}

/** One text for the clause model: a whole sentence with its label; `group` ties it to the polarity examples of that sentence (-1: none). */
export interface ClauseExample { tk: Tokenised; y: Polarity; group: number }
export type Polarity = (typeof POLARITIES)[number];
export interface PolarityExample { tk: Tokenised; s: number; e: number; lo: number; hi: number; domain: string; y: string; others?: Span[]; group: number }
export interface PolarityTrainOptions {
  seed?: number; l2?: number; epochs?: number; lr?: number; bag?: number;
  clause?: { epochs: number; l2: number; lr: number; bag: number; innerFolds: number; seed: number; minCount?: number; prune?: number; bigramMinCount?: number };
}

/** 3-class sentence/clause model (the sentence-sentiment features, NEUTRAL as a class of its own). */
export function trainClauseModel(items: ClauseExample[], res: LexicalResources | null, o: NonNullable<PolarityTrainOptions['clause']>): SentimentModelJSON {
  const data = items.map((it) => ({ f: sentenceFeatures(it.tk, 0, it.tk.tokens.length - 1, meanWink(it.tk), res), y: it.y }));
  // bigrams seen once are most of the model's size and add little: drop them
  if ((o.bigramMinCount ?? 1) > 1) {
    const counts = new Map<string, number>();
    for (const d of data) for (const k of d.f.keys()) if (k.startsWith('b:')) counts.set(k, (counts.get(k) ?? 0) + 1);
    for (const d of data) for (const k of [...d.f.keys()]) if (k.startsWith('b:') && counts.get(k)! < o.bigramMinCount!) d.f.delete(k);
  }
  const model = averageModels(Array.from({ length: o.bag }, (_, b) => trainLogReg(data, [...POLARITIES], { epochs: o.epochs, l2: o.l2, lr: o.lr, seed: o.seed + b, prune: 0, minCount: o.minCount ?? 1 })), o.prune ?? 2e-3);
  return { kind: 'sentence-sentiment', model, neutralBand: 0.05 };
}

/**
 * Aspect polarity. With `clause` examples, an in-domain 3-class clause model is trained too and
 * its margins become features; for the training examples those margins come from clause models
 * that did not see their sentence (inner folds over `group`), so the polarity weights are not
 * fitted to over-confident margins.
 */
export function trainPolarity(
  data: PolarityExample[], res: LexicalResources | null, sent: SentimentModel | null,
  opts: PolarityTrainOptions = {}, clauseData: ClauseExample[] = [],
): PolarityModelJSON {
  let clause: SentimentModelJSON | undefined;
  const sentOf = new Map<number, SentimentModel | null>();
  if (opts.clause && clauseData.length) {
    const co = opts.clause;
    const groups = [...new Set(data.map((d) => d.group))].sort((a, b) => a - b);
    const r = rng(co.seed);
    const foldOf = new Map(shuffle(groups, r).map((g, i) => [g, i % co.innerFolds]));
    for (let k = 0; k < co.innerFolds; k++) {
      const m = new SentimentModel(trainClauseModel(clauseData.filter((c) => c.group < 0 || foldOf.get(c.group) !== k), res, co), res);
      for (const [g, f] of foldOf) if (f === k) sentOf.set(g, m);
    }
    clause = trainClauseModel(clauseData, res, co);
  }
  const rows = data.map((d) => ({ f: polarityFeatures(d.tk, d.s, d.e, d.lo, d.hi, d.domain, res, sent, d.others, clause ? sentOf.get(d.group)! : null), y: d.y }));
  // average of models fitted with different example orders (variance reduction, no run-time cost)
  const models = Array.from({ length: opts.bag ?? 1 }, (_, b) => trainLogReg(rows, [...POLARITIES], { epochs: opts.epochs ?? 3, l2: opts.l2 ?? 3e-4, lr: opts.lr ?? 0.05, seed: (opts.seed ?? 5) + b, prune: 0 }));
  return { kind: 'aspect-polarity', model: averageModels(models, 2e-3), ...(clause ? { clause } : {}) };
}
