/**
 * npx tsx scripts/eval-nlp-tagger.ts — cross-validated aspect-term F1 of the tagger with the taxonomy used two ways, the tagger
 * alone retrained per fold (the same folds as eval:nlp, training side only; the untouched split is not read):
 *   merge   — a tagger without taxonomy marks, every taxonomy match added to its terms (as rg-nlp-2.0.0 shipped);
 *   none    — the same tagger, no taxonomy;
 *   feature — a tagger trained with the taxonomy marks as features (pipeline.ts trainAspectTagger), nothing added.
 * Terms are read as eval:nlp reads them (scoring.ts: with the category's domain and taxonomy, or without a category
 * with the inferred domain, whose taxonomy gives the marks). Domain inference uses the shipped domain.json for every
 * variant alike; aspect polarity plays no part in term F1 and is not computed.
 * Env: NLP_EVAL_SEEDS (default "42,7"), NLP_EVAL_ONLY_FOLDS (1-based, e.g. "1"), NLP_EVAL_CACHE=DIR (keep the trained taggers).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadLexical, loadModels } from '../subgraphs/analysis/src/nlp/models.js';
import { absaItems, productItems, type AbsaItem } from '../subgraphs/analysis/src/nlp/train/datasets.js';
import { absaKey, outerFoldOf, trainAspectTagger } from '../subgraphs/analysis/src/nlp/train/pipeline.js';
import { AspectTagger, type TaggerModelJSON } from '../subgraphs/analysis/src/nlp/tagger.js';
import { chooseDomain, extractAspects, type Models } from '../subgraphs/analysis/src/nlp/engine.js';
import { DOMAIN_CATEGORY, defaultTaxonomy, hasOwnTaxonomy, taggerDomain } from '../subgraphs/analysis/src/nlp/taxonomy.js';

const t0 = Date.now();
const log = (s: string) => console.log(`[eval-nlp-tagger ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${s}`);
const K = 2;
const SEEDS = (process.env.NLP_EVAL_SEEDS ?? '42,7').split(',').map(Number);
const ONLY_FOLDS = process.env.NLP_EVAL_ONLY_FOLDS ? new Set(process.env.NLP_EVAL_ONLY_FOLDS.split(',').map(Number)) : null;
const CACHE = process.env.NLP_EVAL_CACHE ?? null;

const res = loadLexical();
const shipped = loadModels();
const product = productItems('train');
const absa: AbsaItem[] = [...absaItems(), ...product.acos, ...product.huliu];
const setOf = (it: AbsaItem) => (it.s.id.startsWith('laptop-acos') ? 'acos' : it.domain === 'electronics' ? 'huliu' : it.domain);
/** polarity is not scored here: every term is read as neutral */
const noPolarity = { classify: () => ({ label: 'NEUTRAL' as const, probs: [0, 1, 0], score: 0 }) } as unknown as Models['polarity'];

function f1(m: Models, items: AbsaItem[], withCategory: boolean, useTaxonomy: boolean): number {
  let tp = 0, fp = 0, fn = 0;
  for (const it of items) {
    const category = withCategory ? DOMAIN_CATEGORY[it.domain] : null;
    const domain = chooseDomain(m, taggerDomain(category), it.tk);
    const marking = defaultTaxonomy(hasOwnTaxonomy(category) ? category : DOMAIN_CATEGORY[domain]);
    const pred = new Set(extractAspects(m, it.tk, domain, defaultTaxonomy(category), useTaxonomy, { marking }).map((x) => it.s.text.slice(it.toks[x.from].start, it.toks[x.to].end).toLowerCase()));
    const gold = new Set(it.s.aspects.map((a) => a.term.toLowerCase()));
    for (const p of pred) if (gold.has(p)) tp++; else fp++;
    for (const g of gold) if (!pred.has(g)) fn++;
  }
  const P = tp / Math.max(1, tp + fp), R = tp / Math.max(1, tp + fn);
  return P + R > 0 ? (200 * P * R) / (P + R) : 0;
}

for (const seed of SEEDS) {
  const af = absa.map((a) => outerFoldOf(absaKey(a), seed, K));
  for (let k = 0; k < K; k++) {
    if (ONLY_FOLDS && !ONLY_FOLDS.has(k + 1)) continue;
    const train = absa.filter((_, i) => af[i] !== k);
    const held = absa.filter((_, i) => af[i] === k);
    for (const withMarks of [false, true]) {
      const cached = CACHE ? resolve(CACHE, `tagger-${withMarks ? 'marks' : 'plain'}-seed${seed}-fold${k + 1}-of${K}.json`) : null;
      let json: TaggerModelJSON;
      if (cached && existsSync(cached)) json = JSON.parse(readFileSync(cached, 'utf8')) as TaggerModelJSON;
      else {
        log(`seed ${seed}, fold ${k + 1}/${K}: training the tagger ${withMarks ? 'with' : 'without'} taxonomy marks on ${train.length} sentences ...`);
        json = trainAspectTagger(train, res, withMarks);
        if (cached) { mkdirSync(CACHE!, { recursive: true }); writeFileSync(cached, JSON.stringify(json)); }
      }
      const m: Models = { ...shipped, tagger: new AspectTagger(json, res), polarity: noPolarity };
      const variants: Array<[string, boolean]> = withMarks ? [['feature', true]] : [['merge', true], ['none', false]];
      for (const [name, useTaxonomy] of variants) {
        const cells: string[] = [];
        for (const set of ['laptops', 'restaurants', 'acos', 'huliu']) {
          const items = held.filter((it) => setOf(it) === set);
          cells.push(`${set} ${f1(m, items, true, useTaxonomy).toFixed(1)} / ${f1(m, items, false, useTaxonomy).toFixed(1)}`);
        }
        log(`  seed ${seed}, fold ${k + 1}, ${name}: aspect-term F1 with / without category: ${cells.join('; ')}`);
      }
    }
  }
}
log(`took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
