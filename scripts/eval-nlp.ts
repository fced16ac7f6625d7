/**
 * npm run eval:nlp — measures the analysis engine in two parts.
 *
 * 1. Cross-validation on the training side of the data (yelp, imdb, SemEval-2014 and the training side of
 *    the product data): for each fold seed, every fold retrains every model with the same code as
 *    train:nlp (pipeline.ts: its one data-chosen hyper-parameter is chosen on inner folds of the fold's
 *    training part) and scores the held-out fold through the engine's own path (scoring.ts).
 *    The lexical resources (model/lexical.json) are built without labels and without any data text
 *    (the embeddings' most frequent words), so they are the same for every fold.
 * 2. The untouched split: the fixed test side of the product data (data.ts inTestSplit), read here and
 *    nowhere else, scored with the shipped models (trained by train:nlp on the training side only).
 *
 * Env: NLP_EVAL_ONLY_FOLDS (see below), NLP_EVAL_FOLDS (default 2: every fold retrains everything, and two fold seeds must fit in a CI-sized run), NLP_EVAL_SEEDS (fold seeds, default "42,7"), NLP_EVAL_SAMPLE (share of
 * each fold's training part used, default 1: lower it only to iterate quickly, never for reported figures).
 * NLP_EVAL_CACHE=DIR keeps each fold's trained models in DIR and reuses them when present (only valid while the
 * training code and data are unchanged: it lets a change of run-time code be re-scored without retraining).
 * Flags: --only cv | --only final; --write puts the printed tables into model/PROVENANCE.md.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { dataDir } from '../subgraphs/analysis/src/nlp/data.js';
import { MODEL_DIR, loadLexical, loadModels } from '../subgraphs/analysis/src/nlp/models.js';
import { MODEL_VERSION } from '../subgraphs/analysis/src/nlp/index.js';
import { absaItems, productItems, sentimentItems, type AbsaItem, type SentItem } from '../subgraphs/analysis/src/nlp/train/datasets.js';
import { absaKey, foldOf, modelsOf, outerFoldOf, sentKey, trainModels, type TrainedModels } from '../subgraphs/analysis/src/nlp/train/pipeline.js';
import { scoreModels, scoreWink, type Scores } from '../subgraphs/analysis/src/nlp/train/scoring.js';

const t0 = Date.now();
const log = (s: string) => console.log(`[eval-nlp ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${s}`);
const K = Number(process.env.NLP_EVAL_FOLDS ?? 2);
const SEEDS = (process.env.NLP_EVAL_SEEDS ?? '42,7').split(',').map(Number);
const SAMPLE = Number(process.env.NLP_EVAL_SAMPLE ?? 1);
const onlyArg = process.argv.find((a, i) => process.argv[i - 1] === '--only' || a.startsWith('--only='));
const ONLY = onlyArg ? onlyArg.replace(/^--only=/, '') : null;
const WRITE = process.argv.includes('--write');
const CACHE = process.env.NLP_EVAL_CACHE ?? null;
/** NLP_EVAL_ONLY_FOLDS="2" (1-based, comma-separated): run only these folds, to spread one table over parallel runs (their logged fold lines make the table) */
const ONLY_FOLDS = process.env.NLP_EVAL_ONLY_FOLDS ? new Set(process.env.NLP_EVAL_ONLY_FOLDS.split(',').map(Number)) : null;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));

/** Off-the-shelf figures measured on the same files (../shared/data/README.md) and the goals of this engine, per row. */
const REFERENCE: Record<string, [string, string]> = {
  'sentiment yelp sentences, acc.': ['wink-nlp 81.7 / VADER 81.1', '>= 87'],
  'sentiment imdb sentences, acc.': ['wink-nlp 81.6 / VADER 78.6', '>= 87'],
  'sentiment cr sentences, acc.': ['wink-nlp 87.2 (never-seen CR); same texts: wink row below', '>= 91'],
  'sentiment star reviews (all), balanced acc.': ['wink-nlp 75.2 (never-seen); same texts: wink row below', '>= 88'],
  'aspect terms laptops, F1 with category': ['train-term dictionary ~57', '>= 75'],
  'aspect terms restaurants, F1 with category': ['train-term dictionary ~63', '>= 82'],
  'aspect terms acos, F1 with category': ['dictionary 56.6 (never-seen laptops)', '>= 75'],
  'aspect terms acos, F1 without category': ['', '>= 72'],
  'aspect polarity laptops, acc.': ['VADER on sentence ~62', '>= 74'],
  'aspect polarity restaurants, acc.': ['VADER on sentence ~73', '>= 81'],
  'aspect polarity acos, acc.': ['VADER 61.6 (never-seen laptops)', '>= 74'],
};

log(`data: ${dataDir()}`);
const res = loadLexical();
if (!res) throw new Error('model/lexical.json missing: run npm run train:nlp first');
const absaSets = (items: AbsaItem[]) => items.map((it) => ({ it, set: it.s.id.startsWith('laptop-acos') ? 'acos' : it.domain === 'electronics' ? 'huliu' : it.domain }));

const tables = new Map<string, string>();
function table(part: string, title: string, cols: string[], rows: Array<[string, string[]]>): void {
  const out = [`${title}`, '', `| task | baseline | target | ${cols.join(' | ')} |`, `|---|---|---|${cols.map(() => '---|').join('')}`];
  for (const [task, vals] of rows) out.push(`| ${task} | ${REFERENCE[task]?.[0] ?? ''} | ${REFERENCE[task]?.[1] ?? ''} | ${vals.join(' | ')} |`);
  const text = out.join('\n');
  console.log('\n' + text + '\n');
  tables.set(part, text);
}

if (ONLY !== 'final') {
  log('tokenising the training side ...');
  const product = productItems('train');
  const sents: SentItem[] = [...sentimentItems(), ...product.cr, ...product.stars];
  const absa: AbsaItem[] = [...absaItems(), ...product.acos, ...product.huliu];
  log(`${sents.length} labelled texts, ${absa.length} ABSA sentences`);
  const perSeed = new Map<number, Map<string, number[]>>();
  for (const seed of SEEDS) {
    const acc = new Map<string, number[]>();
    perSeed.set(seed, acc);
    const sf = sents.map((s) => outerFoldOf(sentKey(s), seed, K));
    const af = absa.map((a) => outerFoldOf(absaKey(a), seed, K));
    for (let k = 0; k < K; k++) {
      if (ONLY_FOLDS && !ONLY_FOLDS.has(k + 1)) continue;
      const keep = (key: string) => SAMPLE >= 1 || (foldOf(key, seed + 1000, 1000) < SAMPLE * 1000);
      const corpus = { sents: sents.filter((s, i) => sf[i] !== k && keep(sentKey(s))), absa: absa.filter((a, i) => af[i] !== k && keep(absaKey(a))) };
      const cached = CACHE ? resolve(CACHE, `seed${seed}-fold${k + 1}-of${K}${SAMPLE < 1 ? `-sample${SAMPLE}` : ''}.json`) : null;
      let trained: TrainedModels;
      if (cached && existsSync(cached)) {
        log(`seed ${seed}, fold ${k + 1}/${K}: models from ${cached}`);
        trained = JSON.parse(readFileSync(cached, 'utf8')) as TrainedModels;
      } else {
        log(`seed ${seed}, fold ${k + 1}/${K}: training on ${corpus.sents.length} texts + ${corpus.absa.length} ABSA sentences ...`);
        trained = trainModels(corpus, res, (s) => log('  ' + s));
        if (cached) { mkdirSync(CACHE!, { recursive: true }); writeFileSync(cached, JSON.stringify(trained)); }
      }
      const held = sents.filter((_, i) => sf[i] === k);
      const scores = { ...scoreModels(modelsOf(trained, res), held, absaSets(absa.filter((_, i) => af[i] === k))), ...scoreWink(held) };
      for (const [name, v] of Object.entries(scores)) acc.set(name, [...(acc.get(name) ?? []), v]);
      log(`  fold ${k + 1}: ` + Object.entries(scores).map(([n, v]) => `${n} ${v.toFixed(1)}`).join('; '));
    }
  }
  const names = [...perSeed.get(SEEDS[0])!.keys()];
  table(`cv-seed-${SEEDS.join('-')}`, `Cross-validation, ${K} folds per fold seed (mean ± sd over folds; ${MODEL_VERSION}${SAMPLE < 1 ? `; SAMPLED ${SAMPLE}: not for reporting` : ''})`,
    SEEDS.map((s) => `seed ${s}`), names.map((n) => [n, SEEDS.map((s) => { const xs = perSeed.get(s)!.get(n)!; return `${mean(xs).toFixed(1)} ± ${sd(xs).toFixed(1)}`; })]));
}

if (ONLY !== 'cv') {
  log('the untouched split: the test side of the product data, with the shipped models ...');
  const test = productItems('test');
  const scores = { ...scoreModels(loadModels(), [...test.cr, ...test.stars], absaSets([...test.acos, ...test.huliu])), ...scoreWink([...test.cr, ...test.stars]) };
  table('final', `Untouched test split of the product data (${test.cr.length} CR sentences, ${test.stars.length} star-rated reviews, ${test.acos.length} Laptop-ACOS and ${test.huliu.length} Hu & Liu sentences), shipped models ${MODEL_VERSION}`,
    ['shipped models'], Object.entries(scores).map(([n, v]) => [n, [v.toFixed(1)]]));
}

if (WRITE) {
  // each part has its own block, so the cross-validation and the untouched split can be measured in separate runs
  const p = resolve(MODEL_DIR, 'PROVENANCE.md');
  let doc = readFileSync(p, 'utf8');
  if (!doc.includes('## Measured results')) doc = `${doc.trimEnd()}\n\n## Measured results\n`;
  doc = doc.replace('Not measured yet: run `npm run eval:nlp -- --write`.\n', '');
  for (const [part, text] of tables) {
    const begin = `<!-- eval:nlp ${part} -->`, end = `<!-- /eval:nlp ${part} -->`;
    const block = `${begin}\nMeasured by \`npm run eval:nlp -- --write\` on ${new Date().toISOString().slice(0, 10)}:\n\n${text}\n${end}`;
    const at = doc.indexOf(begin), to = doc.indexOf(end);
    doc = at >= 0 && to > at ? doc.slice(0, at) + block + doc.slice(to + end.length) : `${doc.trimEnd()}\n\n${block}\n`;
  }
  writeFileSync(p, doc);
  log('wrote the measured tables into PROVENANCE.md');
}
log(`eval took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
