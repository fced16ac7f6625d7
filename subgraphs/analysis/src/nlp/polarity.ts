/**
 * Aspect polarity: 3-class logistic regression over features of a window
 * around the aspect term (words with side and distance, negation scope,
 * contrast position), the lexicon balance of the clause holding the term, the
 * opinion words attached to the term (opinion.ts), and the margins of an
 * in-domain 3-class clause model (positive / negative / no opinion) for that
 * clause and the sentence. With a first-stage model (`stage1`), the final
 * model also sees the first-stage probabilities of the other aspect terms of
 * the sentence (stacking; out-of-fold over sentences when training). With a
 * `sequence` part, the result is blended with a term-attention network of the
 * term's domain (attention.ts), which reads the words in order rather than as a bag.
 */
import type { Token, Tokenised } from './tokenize.js';
import { LinearModel, addFeature, indexedNames, averageModels, logSoftmax, rng, shuffle, softmax, trainLogReg, type Features, type LinearModelJSON } from './linear.js';
import type { LexicalResources } from './resources.js';
import { SentimentModel, annotate, meanWink, sentenceFeatures, type SentimentModelJSON } from './sentiment.js';
import { CONTRAST_AFTER, STOPWORDS } from './lexicon.js';
import { clauseOf, opinionFeatures, type Span } from './opinion.js';
import { AttentionNet, attentionInputs, sentenceVectors, trainAttention, type AttentionNetJSON, type AttentionTrainOptions, type SentenceVectors } from './attention.js';

/** Logit shift given to the clause holding the term when the sentence has a contrast marker (tuned by cross-validation). */
const CLAUSE_BOOST = 1;
/** Scale of the left / right context vectors (0.5 and 1 were level under cross-validation). */
const SIDE_VECTOR_W = 0.5;

export const POLARITIES = ['NEGATIVE', 'NEUTRAL', 'POSITIVE'] as const;
/** The domain of categories without training data of their own (see taggerDomain). */
const GENERAL_DOMAIN = 'general';

export function polarityFeatures(
  tk: Tokenised, s: number, e: number, lo: number, hi: number, domain: string,
  res: LexicalResources | null, sent: SentimentModel | null, others: Span[] = [], clause: SentimentModel | null = null,
): Features {
  const toks = tk.tokens;
  const f: Features = new Map();
  const ann = annotate(toks, lo, hi, res);
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
  // clause bigrams with the term collapsed to one placeholder ("<T>_was", "was_NOT_worth")
  const seq: string[] = [];
  for (let i = ca; i <= cb; i++) {
    if (i > s && i <= e) continue;
    if (i === s) seq.push('<T>');
    else if (toks[i].type !== 'punctuation') seq.push((ann[i - lo].neg ? 'NOT_' : '') + toks[i].lower);
  }
  for (let i = 0; i + 1 < seq.length; i++) put('CB:' + seq[i] + '_' + seq[i + 1]);
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
    if (nv) { const names = indexedNames('v', acc.length); for (let d = 0; d < acc.length; d++) put(names[d], acc[d] / Math.sqrt(nv)); }
    // distance-weighted averaged vectors of the left and of the right context (negated words flipped)
    for (const [side, from, to, step] of [['L', s - 1, lo, -1], ['R', e + 1, hi, 1]] as Array<[string, number, number, number]>) {
      const v = new Float64Array(res.dims);
      let wsum = 0;
      for (let i = from, d = 1; step < 0 ? i >= to : i <= to; i += step, d++) {
        if (d > 8) break;
        const t = toks[i];
        if (STOPWORDS.has(t.lower) || t.type !== 'word') continue;
        const w = 1 / (1 + d / 3);
        if (res.addVector(t.lower, v, (ann[i - lo].neg ? -1 : 1) * w)) wsum += w;
      }
      if (wsum) { const names = indexedNames('v' + side, v.length); for (let d = 0; d < v.length; d++) put(names[d], (SIDE_VECTOR_W * v[d]) / Math.sqrt(wsum)); }
    }
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
      const sc = clause.rangeScores(tk, a, b, 0);
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

const STACK_CONTRAST = new Set([...CONTRAST_AFTER, 'although', 'though', 'whereas', 'while']);

/**
 * Stacking features: the first-stage probabilities of the OTHER aspect terms of the sentence (most sentences
 * with several terms give them one polarity, unless a contrast marker separates them), split by whether a
 * contrast marker lies between the two terms, distance-weighted.
 */
export function stackFeatures(toks: Token[], s: number, e: number, other: Array<{ span: Span; p: number[] }>, noOpinion = false): Features {
  const f: Features = new Map();
  const acc: Record<string, [number, number, number]> = {};
  let nearest: { d: number; p: number[]; g: string } | null = null;
  for (const { span: [x, y], p } of other) {
    const [a, b] = y < s ? [y, s] : [e, x];
    let contrast = false;
    for (let i = a + 1; i < b; i++) if (STACK_CONTRAST.has(toks[i].lower)) { contrast = true; break; }
    const g = contrast ? 'X' : 'S';
    const d = Math.max(0, b - a - 1);
    const w = 1 / (1 + d / 8);
    const t = (acc[g] ??= [0, 0, 0]);
    t[0] += w * (p[2] - p[0]); t[1] += w * p[1]; t[2] += w;
    if (!nearest || d < nearest.d) nearest = { d, p, g };
  }
  for (const [g, [pn, nu, w]] of Object.entries(acc)) {
    addFeature(f, 'sk' + g + ':pn', pn / w);
    addFeature(f, 'sk' + g + ':nu', nu / w);
    addFeature(f, 'sk' + g);
    // a term without opinion words of its own leans more on the other terms
    if (noOpinion) { addFeature(f, 'sk0' + g + ':pn', pn / w); addFeature(f, 'sk0' + g + ':nu', nu / w); }
  }
  if (nearest) {
    addFeature(f, 'skN' + nearest.g + ':pn', nearest.p[2] - nearest.p[0]);
    addFeature(f, 'skN' + nearest.g + ':nu', nearest.p[1]);
  } else addFeature(f, 'sk:none');
  return f;
}

export interface PolarityModelJSON {
  kind: 'aspect-polarity';
  model: LinearModelJSON;
  /** in-domain 3-class clause model (its margins are features, beside the generic sentence model's) */
  clause?: SentimentModelJSON;
  /** first-stage model (base features only); its probabilities for the other terms of the sentence are features of `model` */
  stage1?: LinearModelJSON;
  /** a term-attention network per tagger domain ('general', for categories without training data, is trained on every domain), whose log-probabilities are blended with the linear model's at `weight` */
  sequence?: { weight: number; nets: Record<string, AttentionNetJSON> };
}

const spanKey = (spans: Span[]) => spans.map(([x, y]) => x + ':' + y).sort().join(',');

export class PolarityModel {
  private lm: LinearModel;
  private stage1: LinearModel | null;
  private clause: SentimentModel | null;
  private sequence: { weight: number; nets: Map<string, AttentionNet> } | null;
  /** base features and first-stage probabilities per sentence and term (the terms of a sentence are classified together) */
  private cache = new WeakMap<Tokenised, Map<string, { f: Features; p1: number[] | null }>>();
  /** the sequence model's view of each sentence, shared by its terms */
  private vectors = new WeakMap<Tokenised, Map<string, SentenceVectors>>();
  constructor(json: PolarityModelJSON, private res: LexicalResources | null, private sent: SentimentModel | null) {
    this.lm = new LinearModel(json.model);
    this.stage1 = json.stage1 ? new LinearModel(json.stage1) : null;
    this.clause = json.clause ? new SentimentModel(json.clause, res) : null;
    this.sequence = json.sequence && res ? { weight: json.sequence.weight, nets: new Map(Object.entries(json.sequence.nets).map(([d, n]) => [d, new AttentionNet(n)])) } : null;
  }
  private base(tk: Tokenised, s: number, e: number, lo: number, hi: number, domain: string, all: Span[], key: string): { f: Features; p1: number[] | null } {
    let m = this.cache.get(tk);
    if (!m) { m = new Map(); this.cache.set(tk, m); }
    const k = `${s},${e},${lo},${hi},${domain}|${key}`;
    let v = m.get(k);
    if (!v) {
      const f = polarityFeatures(tk, s, e, lo, hi, domain, this.res, this.sent, all, this.clause);
      v = { f, p1: null };
      m.set(k, v);
    }
    return v;
  }
  classify(tk: Tokenised, s: number, e: number, lo: number, hi: number, domain: string, others: Span[] = []): { label: 'POSITIVE' | 'NEUTRAL' | 'NEGATIVE'; probs: number[]; score: number } {
    let sc: number[];
    if (this.stage1) {
      const all: Span[] = others.some(([x, y]) => x === s && y === e) ? others : [[s, e], ...others];
      const key = spanKey(all);
      const own = this.base(tk, s, e, lo, hi, domain, all, key);
      const other: Array<{ span: Span; p: number[] }> = [];
      for (const [x, y] of all) {
        if ((x === s && y === e) || x < lo || y > hi) continue;
        const b = this.base(tk, x, y, lo, hi, domain, all, key);
        b.p1 ??= softmax(this.stage1.scores(b.f));
        other.push({ span: [x, y], p: b.p1 });
      }
      sc = this.lm.scores(own.f);
      for (const [k2, v] of stackFeatures(tk.tokens, s, e, other, own.f.has('att:n0'))) {
        const w = this.lm.contribution(k2, v);
        if (w) for (let c = 0; c < sc.length; c++) sc[c] += w[c];
      }
    } else sc = this.lm.scores(polarityFeatures(tk, s, e, lo, hi, domain, this.res, this.sent, others, this.clause));
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
    const net = this.sequence?.nets.get(domain);
    if (net && this.sequence && this.res) {
      // log-linear blend with the sequence model: (1 - w) log p_linear + w log p_net
      const { weight } = this.sequence;
      let byRange = this.vectors.get(tk);
      if (!byRange) { byRange = new Map(); this.vectors.set(tk, byRange); }
      let sv = byRange.get(`${lo},${hi}`);
      if (!sv) { sv = sentenceVectors(tk, lo, hi, this.res); byRange.set(`${lo},${hi}`, sv); }
      const inp = attentionInputs(tk, s, e, lo, hi, this.res, sv);
      const lp = logSoftmax(sc);
      const q = net.probs(inp);
      sc = lp.map((v, c) => (1 - weight) * v + weight * Math.log(Math.max(q[net.classes.indexOf(this.lm.classes[c])], 1e-12)));
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
  stack?: { innerFolds: number; seed: number; bag: number };
  clause?: { epochs: number; l2: number; lr: number; bag: number; innerFolds: number; seed: number; minCount?: number; prune?: number; bigramMinCount?: number };
  sequence?: AttentionTrainOptions & { weight: number };
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
  const clauseFor = (g: number) => (clause ? sentOf.get(g)! : null);
  const extras = (): Partial<PolarityModelJSON> => {
    const q = opts.sequence;
    // one network per training domain (better there than one shared network under cross-validation) and a
    // shared one for every other category
    const domains = [...new Set(data.map((d) => d.domain))].sort();
    const nets = q && res ? Object.fromEntries([...domains.map((dom) => [dom, trainAttention(data.filter((d) => d.domain === dom), [...POLARITIES], res, q)]), [GENERAL_DOMAIN, trainAttention(data, [...POLARITIES], res, q)]]) : null;
    const sequence = q && nets ? { weight: q.weight, nets } : undefined;
    return { ...(clause ? { clause } : {}), ...(sequence ? { sequence } : {}) };
  };
  const rows = data.map((d) => ({ f: polarityFeatures(d.tk, d.s, d.e, d.lo, d.hi, d.domain, res, sent, d.others, clauseFor(d.group)), y: d.y }));
  // average of models fitted with different example orders (variance reduction, no run-time cost)
  const fit = (rs: typeof rows, bag: number) => averageModels(Array.from({ length: bag }, (_, b) => trainLogReg(rs, [...POLARITIES], { epochs: opts.epochs ?? 3, l2: opts.l2 ?? 3e-4, lr: opts.lr ?? 0.05, seed: (opts.seed ?? 5) + b, prune: 0 })), 2e-3);
  if (opts.stack) {
    // stage 1 on the base features; the stage-2 rows get the stage-1 probabilities of the other terms of their
    // sentence from stage-1 models that did not see that sentence (inner folds over group)
    const so = opts.stack;
    const groups = [...new Set(data.map((d) => d.group))].sort((a, b) => a - b);
    const foldOf = new Map(shuffle(groups, rng(so.seed)).map((g, i) => [g, i % so.innerFolds]));
    const rowOf = new Map(data.map((d, i) => [`${d.group}|${d.s},${d.e}`, i]));
    const stacked = rows.map((r) => ({ f: new Map(r.f), y: r.y }));
    for (let k = 0; k < so.innerFolds; k++) {
      const m1 = new LinearModel(fit(rows.filter((_, i) => foldOf.get(data[i].group) !== k), so.bag));
      data.forEach((d, i) => {
        if (foldOf.get(d.group) !== k) return;
        const all: Span[] = [[d.s, d.e], ...(d.others ?? [])];
        const other: Array<{ span: Span; p: number[] }> = [];
        for (const [x, y] of all) {
          if ((x === d.s && y === d.e) || x < d.lo || y > d.hi) continue;
          const j = rowOf.get(`${d.group}|${x},${y}`);
          const f = j !== undefined ? rows[j].f : polarityFeatures(d.tk, x, y, d.lo, d.hi, d.domain, res, sent, all, clauseFor(d.group));
          other.push({ span: [x, y], p: softmax(m1.scores(f)) });
        }
        for (const [k2, v] of stackFeatures(d.tk.tokens, d.s, d.e, other, rows[i].f.has('att:n0'))) addFeature(stacked[i].f, k2, v);
      });
    }
    return { kind: 'aspect-polarity', model: fit(stacked, opts.bag ?? 1), stage1: fit(rows, opts.bag ?? 1), ...extras() };
  }
  return { kind: 'aspect-polarity', model: fit(rows, opts.bag ?? 1), ...extras() };
}
