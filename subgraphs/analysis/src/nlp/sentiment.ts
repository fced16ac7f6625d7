/**
 * Sentence sentiment: logistic regression over negation-marked unigrams and
 * bigrams, hedge patterns, the wink-nlp lexicon score and averaged compressed
 * word vectors, with contrast/concession clause weighting and intensifiers.
 */
import type { Token, Tokenised } from './tokenize.js';
import { LinearModel, addFeature, averageModels, indexedNames, trainLogReg, type Features, type LinearModelJSON } from './linear.js';
import type { LexicalResources } from './resources.js';
import { NEGATORS, SCOPE_BREAK, CONTRAST_AFTER, CONCESSIVE, INTENSIFIERS, DIMINISHERS, HEDGES, PRODUCT_PHRASES, STOPWORDS, type KnownPhrase } from './lexicon.js';

/** Hedges and product expressions by their first word (annotate runs for every sentence, clause and term). */
const PHRASES_BY_FIRST = new Map<string, KnownPhrase[]>();
for (const h of [...HEDGES, ...PRODUCT_PHRASES]) PHRASES_BY_FIRST.set(h.seq[0], [...(PHRASES_BY_FIRST.get(h.seq[0]) ?? []), h]);

export interface TokenAnnotation {
  neg: boolean;
  clauseWeight: number;
  intensity: number;
  hedge: string | null; // hedge tag covering this token
  hedgePolarity: number;
}

const PUNCT_KEEP = new Set(['!', '?']);
/** Character n-grams of content words (length, weight): share evidence across inflections and rare spellings (cross-validated). */
const CHARNG = 4;
const CHARW = 0.15;
/** Feature weights of the tokens before / after the last contrast marker (cross-validated). */
const CONTRAST_BEFORE_W = 0.7;
const CONTRAST_AFTER_W = 1.3;

function isWordLike(t: Token): boolean {
  return t.type === 'word' || t.type === 'emoji' || t.type === 'emoticon' || t.type === 'number' || t.type === 'hashtag';
}

/** Prior at or below which a negated word is a negated negative ("never disappointed", "nothing to dislike"). */
const NEGATIVE_PRIOR = -0.3;
/** The known polarity of a negated negative: a hedge towards positive, since the models see such pairs rarely. */
const NEGATED_NEGATIVE = 0.4;

/**
 * Annotate tokens [a, b] (inclusive) with negation scope, clause weights, intensity, hedges. With `res`, a
 * negative word inside a negation scope becomes a hedge of positive polarity (NEGATED_NEGATIVE).
 */
export function annotate(tokens: Token[], a: number, b: number, res: LexicalResources | null = null): TokenAnnotation[] {
  // the same range is annotated for its sentence score, its features, each of its aspect terms and the fact check: once is enough
  let byRange = ANNOTATIONS.get(tokens);
  if (!byRange) { byRange = new Map(); ANNOTATIONS.set(tokens, byRange); }
  const key = `${a},${b},${res ? 1 : 0}`;
  let ann = byRange.get(key);
  if (!ann) { ann = computeAnnotations(tokens, a, b, res); byRange.set(key, ann); }
  return ann;
}
const ANNOTATIONS = new WeakMap<Token[], Map<string, TokenAnnotation[]>>();

function computeAnnotations(tokens: Token[], a: number, b: number, res: LexicalResources | null): TokenAnnotation[] {
  const n = b - a + 1;
  const ann: TokenAnnotation[] = Array.from({ length: n }, () => ({ neg: false, clauseWeight: 1, intensity: 1, hedge: null, hedgePolarity: 0 }));
  // hedges first (they override negation for the tokens they cover)
  const productPhrases: Array<[number, number, number]> = [];
  for (let i = 0; i < n; i++) {
    for (const h of PHRASES_BY_FIRST.get(tokens[a + i].lower) ?? []) {
      if (i + h.seq.length > n) continue;
      let ok = true;
      for (let j = 0; j < h.seq.length && ok; j++) {
        const t = tokens[a + i + j];
        ok = t.lower === h.seq[j] || (h.seq[j] === '*' && t.type !== 'punctuation') || (h.seq[j] === "n't" && t.lemma === 'not' && t.lower === "n't");
      }
      if (!ok) continue;
      for (let j = 0; j < h.seq.length; j++) { ann[i + j].hedge = h.tag; ann[i + j].hedgePolarity = h.polarity; }
      if (h.tag.startsWith('PHRASE_')) productPhrases.push([i, i + h.seq.length - 1, h.polarity]);
    }
  }
  // negation scope: from a negator to the next punctuation mark or scope break (contrast/conjunction word),
  // with no fixed word limit (cross-validated: better than a 3- or 5-word window on imdb, 5 fold seeds)
  let scope = 0;
  for (let i = 0; i < n; i++) {
    const t = tokens[a + i];
    const low = t.lower;
    if (SCOPE_BREAK.has(low) || t.type === 'punctuation') { scope = 0; continue; }
    if (NEGATORS.has(low) || (low.endsWith("n't") && low.length > 3)) {
      // "not only" is not a negation
      if (tokens[a + i + 1]?.lower === 'only') continue;
      scope = Infinity;
      continue;
    }
    if (scope > 0) { ann[i].neg = true; scope--; }
  }
  // a product expression inside a negation scope turns round ("not worth the money")
  for (const [x, y, polarity] of productPhrases) if (ann[x].neg) for (let j = x; j <= y; j++) ann[j].hedgePolarity = -polarity;
  if (res) {
    for (let i = 0; i < n; i++) {
      const t = tokens[a + i];
      if (!ann[i].neg || ann[i].hedge || t.type !== 'word') continue;
      if ((res.polarity(t.lower) || res.polarity(t.lemma)) <= NEGATIVE_PRIOR) { ann[i].hedge = 'NEGATED_NEGATIVE'; ann[i].hedgePolarity = NEGATED_NEGATIVE; }
    }
  }
  // contrast: everything before the last contrast marker is down-weighted (softly: the clause after it also gets
  // its own margin in scoreRange, so the features need less skew; 0.7/1.3 chosen by 10-fold CV over 5 fold seeds)
  let lastContrast = -1;
  for (let i = 1; i < n; i++) if (CONTRAST_AFTER.has(tokens[a + i].lower) && tokens[a + i].lower !== 'still') lastContrast = i;
  if (lastContrast > 0) for (let i = 0; i < n; i++) ann[i].clauseWeight = i < lastContrast ? CONTRAST_BEFORE_W : CONTRAST_AFTER_W;
  // concession: "although X, Y" -> X down-weighted up to the next comma
  for (let i = 0; i < n; i++) {
    if (CONCESSIVE.has(tokens[a + i].lower) && !(tokens[a + i].lower === 'even' && tokens[a + i + 1]?.lower !== 'though')) {
      let j = i;
      while (j < n && tokens[a + j].lower !== ',' && tokens[a + j].lower !== ';') j++;
      if (j < n - 1) for (let k = i; k < j; k++) ann[k].clauseWeight *= 0.5;
      break;
    }
  }
  // intensifiers / diminishers modify the next one or two words
  for (let i = 0; i < n; i++) {
    const low = tokens[a + i].lower;
    const m = INTENSIFIERS[low] ?? DIMINISHERS[low];
    if (m === undefined) continue;
    for (let j = i + 1; j <= Math.min(n - 1, i + 2); j++) {
      ann[j].intensity *= m;
      if (isWordLike(tokens[a + j]) && !(tokens[a + j].lower in INTENSIFIERS)) break;
    }
  }
  return ann;
}

export function featureName(t: Token, an: TokenAnnotation): string {
  return 'u:' + (an.neg ? 'NOT_' : '') + t.lower;
}

/** Features for the token range [a, b] of a tokenised text. */
export function sentenceFeatures(tk: Tokenised, a: number, b: number, winkScore: number, res: LexicalResources | null): Features {
  const f: Features = new Map();
  const { tokens } = tk;
  const ann = annotate(tokens, a, b, res);
  let prev = '<s>';
  const dense = res ? new Float64Array(res.dims) : null;
  const ndense = res ? new Float64Array(res.dims) : null;
  let nd = 0, nnd = 0;
  let words = 0;
  let lexPos = 0, lexNeg = 0;
  for (let i = a; i <= b; i++) {
    const t = tokens[i];
    const an = ann[i - a];
    const isPunct = t.type === 'punctuation' || t.type === 'symbol';
    if (isPunct && !PUNCT_KEEP.has(t.lower)) { prev = '<p>'; continue; }
    if (an.hedge?.startsWith('PHRASE_')) {
      // a known product expression speaks through its known polarity alone: its words ("ages" in "takes ages") mean something else in the training text
      addFeature(f, 'h:' + an.hedge, 1 / 3);
      prev = t.lower;
      words++;
      continue;
    }
    const v = Math.min(2.5, an.clauseWeight * an.intensity);
    // intensifiers/diminishers act only through the word they modify (and the bigram)
    const modifier = t.lower in INTENSIFIERS || t.lower in DIMINISHERS;
    if (!modifier) addFeature(f, featureName(t, an), v);
    if (t.lemma !== t.lower) addFeature(f, 'l:' + (an.neg ? 'NOT_' : '') + t.lemma, v * 0.5);
    if (res && !STOPWORDS.has(t.lower)) {
      const c = res.cluster(t.lower, 1);
      if (c >= 0) addFeature(f, 'c:' + (an.neg ? 'NOT_' : '') + c, v * 0.5);
    }
    if (!modifier && !(prev in INTENSIFIERS || prev in DIMINISHERS)) addFeature(f, 'b:' + prev + '_' + t.lower, an.clauseWeight);
    if (t.type === 'word' && !STOPWORDS.has(t.lower) && t.lower.length >= 4) {
      const w = '<' + t.lower + '>';
      const ng = an.neg ? 'NOT_' : '';
      for (let q = 0; q + CHARNG <= w.length; q++) addFeature(f, 'g:' + ng + w.slice(q, q + CHARNG), v * CHARW);
    }
    if (an.hedge) addFeature(f, 'h:' + an.hedge, 1 / 3);
    prev = t.lower;
    words++;
    if (res && !isPunct) {
      const p = res.polarity(t.lower) || (t.lemma !== t.lower ? res.polarity(t.lemma) : 0);
      if (p !== 0) {
        const pv = p * (an.neg ? -0.8 : 1) * v;
        if (pv > 0) lexPos += pv; else lexNeg -= pv;
      }
    }
    if (res && !STOPWORDS.has(t.lower) && !isPunct) {
      if (an.neg) { if (res.addVector(t.lower, ndense!, an.clauseWeight)) nnd++; }
      else if (res.addVector(t.lower, dense!, v)) nd++;
    }
  }
  addFeature(f, 'b:' + prev + '_</s>', 1);
  if (dense && nd > 0) { const names = indexedNames('e', dense.length); for (let d = 0; d < dense.length; d++) f.set(names[d], dense[d] / Math.sqrt(nd)); }
  if (ndense && nnd > 0) { const names = indexedNames('ne', ndense.length); for (let d = 0; d < ndense.length; d++) f.set(names[d], ndense[d] / Math.sqrt(nnd)); }
  if (res) {
    f.set('lex', lexPos - lexNeg);
    f.set('lexpos', Math.log1p(lexPos));
    f.set('lexneg', Math.log1p(lexNeg));
  }
  f.set('wink', winkScore * 2);
  if (winkScore > 0.05) f.set('wink+', 1);
  else if (winkScore < -0.05) f.set('wink-', 1);
  else f.set('wink0', 1);
  if (words <= 3) f.set('short', 1);
  return f;
}

/**
 * `learnedCue`: the learned word weight that counts as opinion evidence (SentimentModel.learnedCue), chosen on inner
 * folds of the training texts (pipeline.ts); absent, no learned weight counts.
 */
export interface SentimentModelJSON { kind: 'sentence-sentiment'; model: LinearModelJSON; neutralBand: number; learnedCue?: number }

/** Weight of the whole-sentence margin when a contrast marker splits the sentence (the rest goes to the clause after it). */
export const CONTRAST_MIX = 0.25;

export interface SentenceScore {
  margin: number; // log-odds positive vs negative (after hedge adjustment)
  score: number; // [-1, 1]
  label: 'POSITIVE' | 'NEUTRAL' | 'NEGATIVE';
  /** per-token contribution to the margin, for evidence spans */
  contributions: Array<{ token: number; from: number; to: number; value: number }>;
}

export class SentimentModel {
  readonly lm: LinearModel;
  readonly neutralBand: number;
  /** see SentimentModelJSON.learnedCue */
  cueWeight: number;
  private pos: number;
  private neg: number;
  constructor(json: SentimentModelJSON, private res: LexicalResources | null) {
    this.lm = new LinearModel(json.model);
    this.neutralBand = json.neutralBand;
    this.cueWeight = json.learnedCue ?? Infinity;
    this.pos = this.lm.classes.indexOf('POSITIVE');
    this.neg = this.lm.classes.indexOf('NEGATIVE');
  }
  /**
   * Whether a word is opinion evidence by what the model learned: a word of an opinion-bearing part of speech
   * (adjective, adverb, verb, interjection) whose own weight moves the margin by `cueWeight` or more. Praise and
   * failure verbs without a lexicon score ("lasts", "returned") are evidence; "bought", "arrived" are not.
   */
  learnedCue(t: Token, an: TokenAnnotation): boolean {
    if (t.type !== 'word' || !(t.pos === 'ADJ' || t.pos === 'ADV' || t.pos === 'VERB' || t.pos === 'INTJ')) return false;
    return Math.abs(this.diff(featureName(t, an), 1)) >= this.cueWeight;
  }
  private diff(name: string, v: number): number {
    const c = this.lm.contribution(name, v);
    return c ? c[this.pos] - c[this.neg] : 0;
  }
  /** The class scores of tokens [a, b] (memoised per text, like scoreRange). */
  rangeScores(tk: Tokenised, a: number, b: number, winkScore: number): number[] {
    return this.memoised(tk, `s${a},${b},${winkScore}`, () => this.lm.scores(sentenceFeatures(tk, a, b, winkScore, this.res)));
  }
  scoreRange(tk: Tokenised, a: number, b: number, winkScore: number, withContrib = false, contrastInner = false): SentenceScore {
    // a sentence is scored for its verdict, and its clauses and itself again for each of its aspect terms
    return this.memoised(tk, `r${a},${b},${winkScore},${withContrib ? 1 : 0}${contrastInner ? 1 : 0}`, () => this.computeRange(tk, a, b, winkScore, withContrib, contrastInner));
  }
  private memo = new WeakMap<Token[], Map<string, unknown>>();
  private memoised<T>(tk: Tokenised, key: string, compute: () => T): T {
    let byKey = this.memo.get(tk.tokens);
    if (!byKey) { byKey = new Map(); this.memo.set(tk.tokens, byKey); }
    let v = byKey.get(key) as T | undefined;
    if (v === undefined) { v = compute(); byKey.set(key, v); }
    return v;
  }
  private computeRange(tk: Tokenised, a: number, b: number, winkScore: number, withContrib: boolean, contrastInner: boolean): SentenceScore {
    const s = this.rangeScores(tk, a, b, winkScore);
    let margin = s[this.pos] - s[this.neg];
    const ann = annotate(tk.tokens, a, b, this.res);
    // contrast: the clause after the last "but"/"however" decides most of the verdict
    let lastContrast = -1;
    for (let i = a + 1; i <= b; i++) if (ann[i - a].clauseWeight > 1 && ann[i - a - 1].clauseWeight < 1) lastContrast = i;
    if (lastContrast > a && !contrastInner && b - lastContrast >= 2) {
      const post = this.scoreRange(tk, lastContrast + 1, b, 0, false, true).margin;
      if (Math.abs(post) > 0.5) margin = CONTRAST_MIX * margin + (1 - CONTRAST_MIX) * post;
    }
    // hedges shift the decision towards their known polarity
    let hedgeShift = 0;
    const seen = new Set<string>();
    for (const an of ann) if (an.hedge && !seen.has(an.hedge)) { seen.add(an.hedge); hedgeShift += an.hedgePolarity * an.clauseWeight; }
    if (hedgeShift !== 0) margin = margin * 0.5 + hedgeShift * 3;
    const score = Math.tanh(margin / 2);
    const label = Math.abs(score) < this.neutralBand ? 'NEUTRAL' : score > 0 ? 'POSITIVE' : 'NEGATIVE';
    const contributions: SentenceScore['contributions'] = [];
    if (withContrib) {
      for (let i = a; i <= b; i++) {
        const t = tk.tokens[i];
        if (t.type !== 'word' && t.type !== 'emoji' && t.type !== 'emoticon') continue;
        const an = ann[i - a];
        let v = this.diff(featureName(t, an), Math.min(2.5, an.clauseWeight * an.intensity));
        if (an.hedge) {
          // a hedge is reported once, as a span over the whole phrase
          if (i > a && ann[i - a - 1].hedge === an.hedge) continue;
          let j = i;
          while (j < b && ann[j + 1 - a].hedge === an.hedge) j++;
          contributions.push({ token: i, from: i, to: j, value: an.hedgePolarity * 3 * an.clauseWeight });
          continue;
        }
        if (STOPWORDS.has(t.lower) || NEGATORS.has(t.lower) || t.lower in INTENSIFIERS || t.lower in DIMINISHERS) continue;
        const opinionPos = t.pos === 'ADJ' || t.pos === 'ADV' || t.pos === 'VERB' || t.pos === 'INTJ' || t.type !== 'word';
        const prior = this.res ? this.res.polarity(t.lower) || this.res.polarity(t.lemma) : 0;
        if (!opinionPos && prior === 0) continue;
        const expected = prior * (an.neg ? -1 : 1);
        if (expected !== 0 && Math.sign(expected) !== Math.sign(v)) continue;
        // a negated word is reported together with its negator ("not good")
        let from = i;
        if (an.neg) for (let k = i - 1; k >= Math.max(a, i - 5); k--) if (NEGATORS.has(tk.tokens[k].lower) || tk.tokens[k].lower.endsWith("n't")) { from = k; break; }
        contributions.push({ token: i, from, to: i, value: v });
      }
    }
    return { margin, score, label, contributions };
  }
}

export function trainSentiment(
  items: Array<{ tk: Tokenised; label: 0 | 1; w?: number }>,
  res: LexicalResources | null,
  opts: { epochs?: number; l2?: number; seed?: number; bag?: number } = {},
): SentimentModelJSON {
  const data = items.map((it) => ({
    f: sentenceFeatures(it.tk, 0, it.tk.tokens.length - 1, meanWink(it.tk), res),
    y: it.label === 1 ? 'POSITIVE' : 'NEGATIVE',
    w: it.w,
  }));
  // average of models fitted with different example orders (variance reduction, no run-time cost)
  const model = averageModels(Array.from({ length: opts.bag ?? 1 }, (_, b) => trainLogReg(data, ['NEGATIVE', 'POSITIVE'], { epochs: opts.epochs ?? 12, l2: opts.l2 ?? 3e-4, lr: 0.15, seed: (opts.seed ?? 7) + b, minCount: 1, prune: 0 })), 2e-3);
  return { kind: 'sentence-sentiment', model, neutralBand: 0.05 };
}

export function meanWink(tk: Tokenised): number {
  if (!tk.winkSentiment.length) return 0;
  return tk.winkSentiment.reduce((x, y) => x + y, 0) / tk.winkSentiment.length;
}
