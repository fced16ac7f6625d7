/**
 * npm run eval:nlp — k-fold cross-validation of the analysis engine on the
 * shared training files: every fold retrains the models on the other folds
 * and scores the held-out fold, so no number is measured on sentences a model
 * trained on. The unsupervised lexical resources (model/lexical.json: word
 * vectors, clusters and a polarity prior built without any labels) are shared.
 *
 * Sentence sentiment counts the sentences' aspects too, as the engine does: they come from the shipped aspect
 * tagger and a polarity model trained here on the SemEval files alone (the shipped one has seen yelp/imdb labels
 * in its clause model), with yelp read as restaurant reviews and imdb as a category without training data.
 *
 * Env: NLP_EVAL_FOLDS_SENT (default 10), NLP_EVAL_FOLDS_ABSA (default 5), NLP_EVAL_SEED (fold seed, default 42).
 * Flags: --only sentiment,ate,polarity (comma list; default all) to keep iteration runs lean.
 */
import { rng } from '../subgraphs/analysis/src/nlp/linear.js';
import { foldsOf, dataDir } from '../subgraphs/analysis/src/nlp/data.js';
import { MODEL_FILES, loadLexical, readModelJSON } from '../subgraphs/analysis/src/nlp/models.js';
import { SentimentModel, trainSentiment } from '../subgraphs/analysis/src/nlp/sentiment.js';
import { AspectTagger, trainTagger, type TaggerModelJSON } from '../subgraphs/analysis/src/nlp/tagger.js';
import { PolarityModel, trainPolarity } from '../subgraphs/analysis/src/nlp/polarity.js';
import { documentSentiment, extractAspects, sentencesOf, taggedSpans, type RawAspect } from '../subgraphs/analysis/src/nlp/engine.js';
import { defaultTaxonomy } from '../subgraphs/analysis/src/nlp/taxonomy.js';
import { absaItems, clauseItems, polarityItems, sentimentItems } from '../subgraphs/analysis/src/nlp/train/datasets.js';
import { TRAINING_CONFIG } from '../subgraphs/analysis/src/nlp/train/config.js';

const t0 = Date.now();
const log = (s: string) => console.log(`[eval-nlp ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${s}`);
const KS = Number(process.env.NLP_EVAL_FOLDS_SENT ?? 10);
const KA = Number(process.env.NLP_EVAL_FOLDS_ABSA ?? 5);
const SEED = Number(process.env.NLP_EVAL_SEED ?? 42); // fold assignment (other seeds re-check a change on other partitions)
const onlyArg = process.argv.find((a, i) => process.argv[i - 1] === '--only' || a.startsWith('--only='));
const TASKS = new Set((onlyArg ? onlyArg.replace(/^--only=/, '') : 'sentiment,ate,polarity').split(',').map((x) => x.trim()));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));

log(`data: ${dataDir()}`);
const res = loadLexical();
log(res ? 'lexical resources: model/lexical.json (unsupervised)' : 'lexical resources: none (run train:nlp with the embeddings installed)');
log('tokenising ...');
const sents = sentimentItems();
const absa = absaItems();

// 1. sentence sentiment: folds over yelp+imdb together, scored per source
const sentAcc: Record<'yelp' | 'imdb', number[]> = { yelp: [], imdb: [] };
if (TASKS.has('sentiment')) {
  log('aspects of the labelled sentences (polarity model trained on SemEval only) ...');
  const polarity = new PolarityModel(trainPolarity(polarityItems(absa), res, null, TRAINING_CONFIG.polarity, clauseItems([], absa)), res, null);
  const aspectModels = { tagger: new AspectTagger(readModelJSON<TaggerModelJSON>(MODEL_FILES.tagger), res), polarity };
  const aspects: RawAspect[][] = sents.map((s) => (s.source === 'yelp' ? extractAspects(aspectModels, s.tk, 'restaurants', defaultTaxonomy('restaurant')) : extractAspects(aspectModels, s.tk, 'general', defaultTaxonomy(null))));
  const folds = foldsOf(sents.length, KS, SEED, rng);
  for (let k = 0; k < KS; k++) {
    const train = sents.filter((_, i) => folds[i] !== k).map((s) => ({ tk: s.tk, label: s.label }));
    const model = new SentimentModel(trainSentiment(train, res, TRAINING_CONFIG.sentiment), res);
    for (const src of ['yelp', 'imdb'] as const) {
      const test = sents.map((s, i) => ({ s, i })).filter(({ s, i }) => folds[i] === k && s.source === src);
      // the engine's document-level decision; NEUTRAL counts as wrong
      const ok = test.filter(({ s, i }) => documentSentiment({ sentiment: model }, s.tk, false, aspects[i]).label === (s.label === 1 ? 'POSITIVE' : 'NEGATIVE')).length;
      sentAcc[src].push((100 * ok) / test.length);
    }
  }
  log(`sentence sentiment ${KS}-fold: yelp ${mean(sentAcc.yelp).toFixed(1)} imdb ${mean(sentAcc.imdb).toFixed(1)}`);
}

// 2. aspect term extraction + 3. aspect polarity: folds over SemEval sentences
const ateF1: Record<string, number[]> = { laptops: [], restaurants: [] };
const polAcc: Record<string, number[]> = { laptops: [], restaurants: [] };
{
  // the generic sentence model is trained on yelp+imdb only; the polarity model's in-domain clause model is
  // retrained per fold on yelp+imdb + the training folds' SemEval sentences
  const sentModel = new SentimentModel(trainSentiment(sents.map((s) => ({ tk: s.tk, label: s.label })), res, TRAINING_CONFIG.sentiment), res);
  const pol = polarityItems(absa);
  const folds = foldsOf(absa.length, KA, SEED, rng);
  for (let k = 0; k < KA; k++) {
    if (TASKS.has('ate')) {
    log(`SemEval fold ${k + 1}/${KA}: training tagger ...`);
    const tagger = new AspectTagger(trainTagger(absa.filter((_, i) => folds[i] !== k).map((a) => ({ toks: a.toks, tags: a.tags, domain: a.domain })), res, TRAINING_CONFIG.tagger), res);
    const st: Record<string, { tp: number; fp: number; fn: number }> = { laptops: { tp: 0, fp: 0, fn: 0 }, restaurants: { tp: 0, fp: 0, fn: 0 } };
    absa.forEach((it, i) => {
      if (folds[i] !== k) return;
      const pred = new Set<string>();
      for (const [a, b] of sentencesOf(it.tk)) for (const [x, y] of taggedSpans(tagger, it.tk, a, b, it.domain)) pred.add(it.s.text.slice(it.toks[x].start, it.toks[y].end).toLowerCase());
      const gold = new Set(it.s.aspects.map((a) => a.term.toLowerCase()));
      const c = st[it.domain];
      for (const p of pred) if (gold.has(p)) c.tp++; else c.fp++;
      for (const g of gold) if (!pred.has(g)) c.fn++;
    });
    for (const [d, c] of Object.entries(st)) {
      const P = c.tp / Math.max(1, c.tp + c.fp), R = c.tp / Math.max(1, c.tp + c.fn);
      ateF1[d].push(P + R > 0 ? (200 * P * R) / (P + R) : 0);
    }
    }
    if (!TASKS.has('polarity')) continue;
    log(`SemEval fold ${k + 1}/${KA}: training polarity ...`);
    const clause = clauseItems(sents, absa, (i) => folds[i] !== k);
    const polModel = new PolarityModel(trainPolarity(pol.filter((p) => folds[p.sentence] !== k), res, sentModel, TRAINING_CONFIG.polarity, clause), res, sentModel);
    for (const d of ['laptops', 'restaurants']) {
      const test = pol.filter((p) => folds[p.sentence] === k && p.domain === d);
      const ok = test.filter((p) => polModel.classify(p.tk, p.s, p.e, p.lo, p.hi, p.domain, p.others).label === p.y).length;
      polAcc[d].push((100 * ok) / test.length);
    }
    log(`  fold ${k + 1}: ATE F1 laptops ${ateF1.laptops[k]?.toFixed(1) ?? '-'} restaurants ${ateF1.restaurants[k]?.toFixed(1) ?? '-'}; polarity laptops ${polAcc.laptops[k].toFixed(1)} restaurants ${polAcc.restaurants[k].toFixed(1)}`);
  }
}

const rows: Array<[string, string, string, number[]]> = [
  ['sentence sentiment, yelp accuracy', 'wink-nlp 81.7 / VADER 81.1', '>= 87', sentAcc.yelp],
  ['sentence sentiment, imdb accuracy', 'wink-nlp 81.6 / VADER 78.6', '>= 87', sentAcc.imdb],
  ['aspect term extraction, laptops F1', 'train-term dictionary ~57', '>= 72', ateF1.laptops],
  ['aspect term extraction, restaurants F1', 'train-term dictionary ~63', '>= 80', ateF1.restaurants],
  ['aspect polarity, laptops accuracy', 'VADER on sentence ~62', '>= 72', polAcc.laptops],
  ['aspect polarity, restaurants accuracy', 'VADER on sentence ~73', '>= 78', polAcc.restaurants],
];
const w = [40, 28, 8, 20];
const line = (c: string[]) => '| ' + c.map((x, i) => x.padEnd(w[i])).join(' | ') + ' |';
console.log('');
console.log(`k-fold cross-validation (sentiment ${KS}-fold, SemEval ${KA}-fold; mean ± sd over folds)`);
console.log(line(['task', 'baseline', 'target', 'ours']));
console.log(line(w.map((n) => '-'.repeat(n))));
for (const [task, base, target, xs] of rows) if (xs.length) console.log(line([task, base, target, `${mean(xs).toFixed(1)} ± ${sd(xs).toFixed(1)}`]));
console.log(`\neval took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
