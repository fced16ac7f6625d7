/**
 * The English analysis pipeline over loaded models (shared by the public
 * analyzer and the evaluation script).
 */
import type { Token, Tokenised } from './tokenize.js';
import type { LexicalResources } from './resources.js';
import type { SentimentModel } from './sentiment.js';
import type { AspectTagger, TaggerDomain, TaxonomyMarks } from './tagger.js';
import type { PolarityModel } from './polarity.js';
import type { DomainModel } from './domain.js';
import { CONTRAST_AFTER, STOPWORDS } from './lexicon.js';
import { CONTRAST_MIX, annotate } from './sentiment.js';
import { canonicalAspect, normTerm, singular, type Taxonomy } from './taxonomy.js';

export type Label = 'POSITIVE' | 'NEUTRAL' | 'NEGATIVE';

export interface Models {
  res: LexicalResources | null;
  sentiment: SentimentModel;
  tagger: AspectTagger;
  polarity: PolarityModel;
  /** infers the domain of texts whose category has no training data (null: they use the general domain) */
  domain: DomainModel | null;
}

/** The domain whose features read a text: its category's when the engine has data for it, else the one inferred from the text. */
export function chooseDomain(m: Pick<Models, 'domain'>, categoryDomain: TaggerDomain, tk: Tokenised): TaggerDomain {
  if (categoryDomain !== 'general' || !m.domain) return categoryDomain;
  return m.domain.infer(tk).domain;
}

export interface DocSentiment {
  label: Label;
  score: number;
  margin: number;
  evidence: Array<{ start: number; end: number; polarity: Label; weight: number }>; // token-derived clean offsets
}

export const NEUTRAL_BAND = 0.05;
/**
 * Weight of a sentence's aspect polarities (positive minus negative probability, summed over its aspects and
 * divided by the square root of their number) added to the sentence model's margin. The aspect model is trained
 * in-domain and knows "no opinion"; the sentence model learned from restaurant and movie sentences only.
 * Cross-validated on yelp / imdb (fold seeds 42 and 7): 1 was best of 0, 0.5, 1, 2, 4.
 */
const ASPECT_WEIGHT = 1;
/**
 * A sentence with no opinion cue (no polarity word, hedge, product expression, "!" or emoji) on which the sentence
 * model is not sure either (|margin| below FACT_MAX_MARGIN) is a plain fact ("It arrived on Tuesday."): its
 * margin is scaled by FACT_SHRINK and capped at FACT_CAP, so a review of facts alone comes out neutral.
 */
const FACT_MAX_MARGIN = 1.5;
const FACT_SHRINK = 0.1;
const FACT_CAP = 0.08;
/** Polarity at which a clause or an aspect counts as a voice for or against in a review (for MIXED_DAMPING). */
const VOICE_MIN = 0.3;
/**
 * A review whose parts disagree ("setup was a nightmare, the app is great") is less certain: its score is scaled by
 * 1 - MIXED_DAMPING * (weaker side / both sides), at most halved when both sides weigh the same.
 */
const MIXED_DAMPING = 1;
/** Tokens that separate the clauses whose words' contributions are summed as voices. */
const CLAUSE_SPLIT = new Set([',', ';', ':', 'but', 'however', 'although', 'though', 'yet', 'whereas', 'while', '-', '—']);

/** Sum of the word contributions of each clause of sentence [a, b] (clauses of two words or more). */
function clauseVoices(tk: Tokenised, a: number, b: number, contributions: Array<{ token: number; value: number }>): number[] {
  const out: number[] = [];
  let start = a;
  const close = (end: number) => {
    const words = tk.tokens.slice(start, end + 1).filter((t) => t.type === 'word').length;
    if (words >= 2) out.push(contributions.filter((c) => c.token >= start && c.token <= end).reduce((x, c) => x + c.value, 0));
  };
  for (let i = a; i <= b; i++) if (CLAUSE_SPLIT.has(tk.tokens[i].lower)) { close(i - 1); start = i + 1; }
  close(b);
  return out;
}

/** Whether tokens [a, b] hold any opinion cue: a polarity word of the lexicon, a hedge or product expression, "!", an emoji, or a word the sentence model weighs strongly. */
function hasOpinionCue(m: Partial<Pick<Models, 'res' | 'sentiment'>>, tk: Tokenised, a: number, b: number, ann: ReturnType<typeof annotate>): boolean {
  for (let i = a; i <= b; i++) {
    const t = tk.tokens[i];
    if (ann[i - a].hedge || t.lower === '!' || t.type === 'emoji' || t.type === 'emoticon') return true;
    if (m.res && Math.abs(m.res.polarity(t.lower) || m.res.polarity(t.lemma)) >= 0.3) return true;
    if (m.sentiment?.learnedCue(t, ann[i - a])) return true;
  }
  return false;
}

/** Sentence-by-sentence sentiment, each sentence's margin moved by the polarity of its aspects, combined into a document label and score. */
export function documentSentiment(m: Pick<Models, 'sentiment'> & Partial<Pick<Models, 'polarity' | 'res'>>, tk: Tokenised, withEvidence = false, aspects: RawAspect[] = []): DocSentiment {
  const evid: DocSentiment['evidence'] = [];
  let num = 0, den = 0, pro = 0, con = 0;
  const voice = (v: number, w: number) => { if (v >= VOICE_MIN) pro += v * w; else if (v <= -VOICE_MIN) con -= v * w; };
  const sents = tk.sentences.length ? tk.sentences : tk.tokens.length ? [[0, tk.tokens.length - 1] as [number, number]] : [];
  sents.forEach(([a, b], si) => {
    const words = tk.tokens.slice(a, b + 1).filter((t) => t.type === 'word').length;
    if (!words) return;
    // the word contributions are needed for the clause voices, with or without evidence
    const r = m.sentiment.scoreRange(tk, a, b, tk.winkSentiment[si] ?? 0, true);
    const own = aspects.filter((x) => x.sentence === si);
    // an aspect before the last contrast marker weighs what the words before it weigh in the sentence's margin
    let contrast = -1;
    for (let i = a + 1; i <= b; i++) if (CONTRAST_AFTER.has(tk.tokens[i].lower) && tk.tokens[i].lower !== 'still') contrast = i;
    const aw = (x: RawAspect) => (x.to < contrast ? CONTRAST_MIX : 1);
    let margin = r.margin + (own.length ? (ASPECT_WEIGHT * own.reduce((acc, x) => acc + aw(x) * x.score, 0)) / Math.sqrt(own.length) : 0);
    if (m.res && Math.abs(margin) < FACT_MAX_MARGIN && !hasOpinionCue(m, tk, a, b, annotate(tk.tokens, a, b, m.res ?? null))) margin = Math.max(-FACT_CAP, Math.min(FACT_CAP, margin * FACT_SHRINK));
    // longer and more opinionated sentences count more; the last sentence often holds the verdict
    const w = Math.sqrt(words) * (0.5 + Math.abs(r.score)) * (si === sents.length - 1 && sents.length > 1 ? 1.3 : 1);
    // a sentence of several clauses speaks through each clause (their words hold its aspects' opinions too), else as a whole with its aspects
    const clauses = clauseVoices(tk, a, b, r.contributions);
    if (clauses.length >= 2) for (const c of clauses) voice(Math.tanh(c), 1);
    else {
      voice(Math.tanh(margin / 2), 1);
      for (const x of own) voice(x.score, 1 / Math.sqrt(own.length));
    }
    num += margin * w;
    den += w;
    if (withEvidence) {
      // an aspect that moved the verdict is evidence too (its term's span)
      for (const x of own) {
        const v = (ASPECT_WEIGHT * aw(x) * x.score) / Math.sqrt(own.length);
        if (Math.abs(v) >= 0.25) evid.push({ start: tk.tokens[x.from].start, end: tk.tokens[x.to].end, polarity: v > 0 ? 'POSITIVE' : 'NEGATIVE', weight: Math.round(Math.abs(v) * 1000) / 1000 });
      }
      for (const c of r.contributions) {
        if (Math.abs(c.value) < 0.25) continue;
        evid.push({ start: tk.tokens[c.from].start, end: tk.tokens[c.to].end, polarity: c.value > 0 ? 'POSITIVE' : 'NEGATIVE', weight: Math.round(Math.abs(c.value) * 1000) / 1000 });
      }
    }
  });
  const margin = den > 0 ? num / den : 0;
  const mixed = pro + con > 0 ? Math.min(pro, con) / (pro + con) : 0;
  const score = Math.round(Math.tanh(margin / 2) * (1 - MIXED_DAMPING * mixed) * 1000) / 1000;
  const label: Label = Math.abs(score) < NEUTRAL_BAND ? 'NEUTRAL' : score > 0 ? 'POSITIVE' : 'NEGATIVE';
  evid.sort((x, y) => y.weight - x.weight);
  // keep evidence that agrees with the verdict first, then the strongest dissent
  const agree = evid.filter((e) => e.polarity === label).slice(0, 6);
  const dissent = evid.filter((e) => e.polarity !== label).slice(0, 2);
  return { label, score, margin, evidence: [...agree, ...dissent].sort((x, y) => x.start - y.start) };
}

export interface RawAspect {
  from: number; // token indices (inclusive)
  to: number;
  term: string;
  aspect: string;
  polarity: Label;
  score: number;
  sentence: number;
}

/** Multi-word and noun taxonomy terms found in the text (complements the learned tagger). */
const PHRASES_CACHE = new WeakMap<Taxonomy, Set<string>>();

/** The normalised terms of a taxonomy, computed once per taxonomy object. */
function taxonomyPhrases(taxonomy: Taxonomy): Set<string> {
  let phrases = PHRASES_CACHE.get(taxonomy);
  if (phrases) return phrases;
  phrases = new Set();
  for (const terms of Object.values(taxonomy)) if (Array.isArray(terms)) for (const t of terms) if (typeof t === 'string') {
    const n = normTerm(t);
    if (n) phrases.add(n);
  }
  PHRASES_CACHE.set(taxonomy, phrases);
  return phrases;
}

function taxonomyMatches(toks: Token[], a: number, b: number, taxonomy: Taxonomy): Array<[number, number]> {
  const phrases = taxonomyPhrases(taxonomy);
  const out: Array<[number, number]> = [];
  // each token's singular once, not once for every phrase length that starts at or covers it
  const lowers = toks.slice(a, b + 1).map((t) => t.lower);
  const singulars = lowers.map(singular);
  for (let i = a; i <= b; i++) {
    for (let len = 4; len >= 1; len--) {
      if (i + len - 1 > b) continue;
      const surface = lowers.slice(i - a, i - a + len).join(' ');
      const lemma = singulars.slice(i - a, i - a + len).join(' ');
      if (!phrases.has(surface) && !phrases.has(lemma)) continue;
      if (len === 1 && !(toks[i].pos === 'NOUN' || toks[i].pos === 'PROPN')) continue;
      out.push([i, i + len - 1]);
      i += len - 1;
      break;
    }
  }
  return out;
}

/** Taxonomy marks (tagger.ts TaxonomyMarks) of tokens [a, b]: 1 where a match of the taxonomy starts, 2 inside one. */
export function taxonomyMarks(toks: Token[], a: number, b: number, taxonomy: Taxonomy): Int8Array {
  const marks = new Int8Array(Math.max(0, b - a + 1));
  for (const [x, y] of taxonomyMatches(toks, a, b, taxonomy)) for (let i = x; i <= y; i++) marks[i - a] = i === x ? 1 : 2;
  return marks;
}

/** Aspect-term token spans from the learned tagger within sentence [a, b], lightly cleaned. */
export function taggedSpans(tagger: AspectTagger, tk: Tokenised, a: number, b: number, domain: TaggerDomain, tax?: TaxonomyMarks | null): Array<[number, number]> {
  const toks = tk.tokens.slice(a, b + 1);
  return tagger.tag(toks, domain, tax).map(([x, y]) => {
    x += a; y += a;
    // trim leading/trailing punctuation or determiners the tagger may include
    while (x < y && (tk.tokens[x].type === 'punctuation' || tk.tokens[x].pos === 'DET')) x++;
    while (y > x && tk.tokens[y].type === 'punctuation') y--;
    return [x, y] as [number, number];
  }).filter(([x]) => tk.tokens[x].type !== 'punctuation');
}

export function sentencesOf(tk: Tokenised): Array<[number, number]> {
  return tk.sentences.length ? tk.sentences : tk.tokens.length ? [[0, tk.tokens.length - 1]] : [];
}

/** Where the taxonomy's terms come in for a tagger trained with taxonomy marks (see extractAspects). */
export interface TaxonomyUse {
  /** the taxonomy whose matches the tagger reads (default: the aspect taxonomy) */
  marking?: Taxonomy;
  /** a tenant's own terms: every match is a term, whatever the tagger says */
  extensions?: Taxonomy | null;
}

const isNoun = (t: Token) => t.pos === 'NOUN' || t.pos === 'PROPN';
/**
 * Domains whose training data marks every aspect term (SemEval-2014, Laptop-ACOS), so the tagger learned there how far
 * a listed term is a term. The electronics data (Hu & Liu) marks only the features an opinion is given on, and the
 * general domain has no data of its own: there an unmarked listed term is no evidence against it, and every taxonomy
 * match is still added, as for a tagger without marks.
 */
const MARKS_DECIDE = new Set<TaggerDomain>(['laptops', 'restaurants']);

/**
 * Aspect terms of each sentence: the tagger's, and the taxonomy's terms. A tagger trained with taxonomy marks reads
 * them as features; in the domains where those decide (MARKS_DECIDE), of the matches only a tenant's extension terms
 * and the phrases without a noun that name an aspect implicitly ("easy to use", "set up": no tagger learns those from
 * data that marks explicit terms) are added. Otherwise every match not overlapping a tagged term is added.
 */
export function extractAspects(m: Pick<Models, 'tagger' | 'polarity'>, tk: Tokenised, domain: TaggerDomain, taxonomy: Taxonomy, useTaxonomy = true, use: TaxonomyUse = {}): RawAspect[] {
  const out: RawAspect[] = [];
  const sents = tk.sentences.length ? tk.sentences : tk.tokens.length ? [[0, tk.tokens.length - 1] as [number, number]] : [];
  const asFeature = useTaxonomy && m.tagger.usesTaxonomy;
  const extensions = use.extensions && typeof use.extensions === 'object' && Object.keys(use.extensions).length ? use.extensions : null;
  const added = (a: number, b: number): Array<[number, number]> => {
    if (!useTaxonomy) return [];
    if (!asFeature || !MARKS_DECIDE.has(domain)) return taxonomyMatches(tk.tokens, a, b, taxonomy);
    const implicit = taxonomyMatches(tk.tokens, a, b, taxonomy).filter(([x, y]) => !tk.tokens.slice(x, y + 1).some(isNoun));
    return extensions ? [...taxonomyMatches(tk.tokens, a, b, extensions), ...implicit] : implicit;
  };
  sents.forEach(([a, b], si) => {
    if (b < a) return;
    const spans = taggedSpans(m.tagger, tk, a, b, domain, asFeature ? taxonomyMarks(tk.tokens, a, b, use.marking ?? taxonomy) : null);
    const extra = added(a, b);
    if (extra.length) {
      for (const [x, y] of extra) {
        if (!spans.some(([p, q]) => !(q < x || p > y))) spans.push([x, y]);
      }
      spans.sort((p, q) => p[0] - q[0]);
    }
    for (const [x, y] of spans) {
      const term = tk.tokens.slice(x, y + 1).map((t, k, arr) => (k > 0 && arr[k - 1].end < t.start ? ' ' : '') + t.text).join('');
      const pol = m.polarity.classify(tk, x, y, a, b, domain, spans);
      out.push({ from: x, to: y, term, aspect: canonicalAspect(term, taxonomy), polarity: pol.label, score: Math.round(pol.score * 1000) / 1000, sentence: si });
    }
  });
  return out;
}

/** Salient noun phrases: adjective/noun runs ending in a noun, ranked by frequency, length and aspect overlap. */
export function keyphrases(tk: Tokenised, aspects: RawAspect[], max = 5): string[] {
  const scores = new Map<string, number>();
  const toks = tk.tokens;
  let i = 0;
  while (i < toks.length) {
    if (!['ADJ', 'NOUN', 'PROPN'].includes(toks[i].pos) || toks[i].type !== 'word') { i++; continue; }
    let j = i;
    while (j + 1 < toks.length && toks[j + 1].sent === toks[i].sent && ['ADJ', 'NOUN', 'PROPN'].includes(toks[j + 1].pos) && toks[j + 1].type === 'word') j++;
    let end = j;
    while (end >= i && !(toks[end].pos === 'NOUN' || toks[end].pos === 'PROPN')) end--;
    let st = i;
    while (st <= end && STOPWORDS.has(toks[st].lower)) st++;
    if (end >= st && end - st < 4) {
      const words = toks.slice(st, end + 1).map((t) => t.lower);
      const phrase = words.join(' ');
      if (phrase.length >= 3 && !words.every((w) => STOPWORDS.has(w))) {
        const bonus = (end > st ? 1 : 0) + (aspects.some((a) => a.from <= end && a.to >= st) ? 1.5 : 0);
        scores.set(phrase, (scores.get(phrase) ?? 0) + 1 + bonus);
      }
    }
    i = j + 1;
  }
  return [...scores.entries()].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0])).slice(0, max).map(([p]) => p);
}
