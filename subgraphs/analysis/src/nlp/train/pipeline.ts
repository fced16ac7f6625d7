/**
 * Training of every learned model from one corpus, shared by `npm run train:nlp` (the whole training
 * side of the data) and `npm run eval:nlp` (each fold's training part), so cross-validation measures
 * exactly what ships. The hyper-parameters chosen from data (the weight of the star-rated reviews' weak labels and
 * the fact rule's learned cue) are chosen on inner folds of the corpus it is given, never on the texts scored later.
 */
import type { LexicalResources } from '../resources.js';
import { SentimentModel, trainSentiment, type SentimentModelJSON } from '../sentiment.js';
import { AspectTagger, trainTagger, type TaggerDomain, type TaggerModelJSON } from '../tagger.js';
import { PolarityModel, trainPolarity, type PolarityModelJSON } from '../polarity.js';
import { DomainModel, trainDomain, type DomainModelJSON } from '../domain.js';
import { fnv1a } from '../data.js';
import { documentSentiment, taxonomyMarks, type Models } from '../engine.js';
import { DOMAIN_CATEGORY, defaultTaxonomy, type Taxonomy } from '../taxonomy.js';
import { clauseItems, polarityItems, type AbsaItem, type SentItem } from './datasets.js';
import { TRAINING_CONFIG } from './config.js';

export interface Corpus { sents: SentItem[]; absa: AbsaItem[] }
export interface TrainedModels { sentiment: SentimentModelJSON; tagger: TaggerModelJSON; polarity: PolarityModelJSON; domain: DomainModelJSON; starWeight: number }

/** Sources whose texts are whole reviews labelled by their stars (weak labels). */
export const STAR_SOURCES = new Set(['blitzer', 'earphones']);
/** Sources of single labelled sentences. */
export const SENTENCE_SOURCES = new Set(['yelp', 'imdb', 'cr']);

/** Fold of an item for a fold seed: a hash of its key, so every data set is partitioned the same way whatever its order. */
export function foldOf(key: string, seed: number, k: number): number {
  return fnv1a(`fold|${seed}|${key}`) % k;
}

/**
 * Outer (reported) fold of an item for a fold seed. FNV-1a's lowest bit is the parity of its input's characters,
 * so `foldOf` with two folds gives every seed the same halves (swapped at most); the hash is mixed first here.
 */
export function outerFoldOf(key: string, seed: number, k: number): number {
  let h = fnv1a(`outer|${seed}|${key}`);
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b) >>> 0; h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35) >>> 0; h ^= h >>> 16;
  return (h >>> 0) % k;
}
export const sentKey = (s: SentItem) => `${s.source}|${s.text}`;
export const absaKey = (a: AbsaItem) => `${a.domain}|${a.s.id}|${a.s.text}`;

/** Balanced accuracy (mean recall of the two classes), NEUTRAL counted wrong. */
export function balancedAccuracy(pairs: Array<{ gold: 0 | 1; label: string }>): number {
  const rec = [0, 1].map((y) => {
    const xs = pairs.filter((p) => p.gold === y);
    return xs.filter((p) => p.label === (y === 1 ? 'POSITIVE' : 'NEGATIVE')).length / Math.max(1, xs.length);
  });
  return (100 * (rec[0] + rec[1])) / 2;
}

function sentimentData(sents: SentItem[], starWeight: number) {
  return sents.map((s) => ({ tk: s.tk, label: s.label, w: STAR_SOURCES.has(s.source) ? starWeight : 1 }));
}

/**
 * The star-review weight (TRAINING_CONFIG.selection.starWeights) and the learned-cue weight of the fact rule
 * (selection.learnedCues: a sentence with no lexicon, hedge or learned cue and an unsure margin reads as a plain fact)
 * by inner cross-validation of the sentence model alone over `sents`: the mean of the CR accuracy and the
 * star-review balanced accuracy on the inner held-out parts, read through documentSentiment with the fact rule.
 */
export function chooseSentimentSettings(sents: SentItem[], res: LexicalResources | null, log?: (s: string) => void): { starWeight: number; learnedCue: number } {
  const { starWeights, learnedCues, innerFolds, seed } = TRAINING_CONFIG.selection;
  const folds = sents.map((s) => foldOf(sentKey(s), seed, innerFolds));
  let best = { starWeight: starWeights[0] as number, learnedCue: learnedCues[0] as number }, bestScore = -Infinity;
  for (const w of starWeights) {
    const cr = learnedCues.map(() => [] as number[]);
    const stars = learnedCues.map(() => [] as Array<{ gold: 0 | 1; label: string }>);
    for (let k = 0; k < innerFolds; k++) {
      const m = new SentimentModel(trainSentiment(sentimentData(sents.filter((_, i) => folds[i] !== k), w), res, { ...TRAINING_CONFIG.sentiment, bag: 1 }), res);
      learnedCues.forEach((cue, c) => {
        m.cueWeight = cue;
        sents.forEach((s, i) => {
          if (folds[i] !== k || !(s.source === 'cr' || STAR_SOURCES.has(s.source))) return;
          const label = documentSentiment({ sentiment: m, res }, s.tk).label;
          if (s.source === 'cr') cr[c].push(label === (s.label === 1 ? 'POSITIVE' : 'NEGATIVE') ? 1 : 0);
          else stars[c].push({ gold: s.label, label });
        });
      });
    }
    learnedCues.forEach((cue, c) => {
      const score = ((100 * cr[c].reduce((a, b) => a + b, 0)) / Math.max(1, cr[c].length) + balancedAccuracy(stars[c])) / 2;
      log?.(`  star-review weight ${w}, learned cue ${cue}: inner-fold score ${score.toFixed(2)}`);
      if (score > bestScore) { bestScore = score; best = { starWeight: w, learnedCue: cue }; }
    });
  }
  return best;
}

/**
 * The aspect-term tagger, with the taxonomy marks of each sentence's domain (the taxonomy of its category) as features
 * when TRAINING_CONFIG.tagger.taxonomy is set: the tagger learns per domain how far a listed term is a term.
 */
export function trainAspectTagger(absa: AbsaItem[], res: LexicalResources | null, taxonomy: boolean = TRAINING_CONFIG.tagger.taxonomy): TaggerModelJSON {
  const { taxonomy: _default, ...opts } = TRAINING_CONFIG.tagger;
  const taxonomies = new Map<TaggerDomain, Taxonomy>();
  const taxOf = (d: TaggerDomain) => taxonomies.get(d) ?? taxonomies.set(d, defaultTaxonomy(DOMAIN_CATEGORY[d])).get(d)!;
  return trainTagger(absa.map((a) => ({ toks: a.toks, tags: a.tags, domain: a.domain, ...(taxonomy ? { tax: taxonomyMarks(a.toks, 0, a.toks.length - 1, taxOf(a.domain)) } : {}) })), res, opts);
}

export function trainModels(c: Corpus, res: LexicalResources | null, log: (s: string) => void = () => {}): TrainedModels {
  const { starWeight, learnedCue } = chooseSentimentSettings(c.sents, res, log);
  log(`sentence sentiment (${c.sents.length} texts, star-review weight ${starWeight}, learned cue ${learnedCue}) ...`);
  const sentiment = { ...trainSentiment(sentimentData(c.sents, starWeight), res, TRAINING_CONFIG.sentiment), learnedCue };
  const sentModel = new SentimentModel(sentiment, res);
  log(`aspect-term tagger (${c.absa.length} sentences) ...`);
  const tagger = trainAspectTagger(c.absa, res);
  const pol = polarityItems(c.absa);
  log(`aspect polarity (${pol.length} terms) ...`);
  const polarity = trainPolarity(pol, res, sentModel, TRAINING_CONFIG.polarity, clauseItems(c.sents.filter((s) => SENTENCE_SOURCES.has(s.source)), c.absa));
  log('domain inference ...');
  const domain = trainDomain([
    ...c.absa.map((a) => ({ tk: a.tk, domain: a.domain })),
    ...c.sents.map((s) => ({ tk: s.tk, domain: s.source === 'yelp' ? 'restaurants' : s.source === 'imdb' ? 'general' : 'electronics' })),
  ], TRAINING_CONFIG.domain);
  return { sentiment, tagger, polarity, domain, starWeight };
}

export function modelsOf(t: TrainedModels, res: LexicalResources | null): Models {
  const sentiment = new SentimentModel(t.sentiment, res);
  return { res, sentiment, tagger: new AspectTagger(t.tagger, res), polarity: new PolarityModel(t.polarity, res, sentiment), domain: new DomainModel(t.domain) };
}
