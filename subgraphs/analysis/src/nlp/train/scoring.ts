/**
 * Scores a set of models on labelled texts the way the engine reads them (eval:nlp's rows): sentence and
 * review sentiment through documentSentiment with the text's aspects, aspect terms through extractAspects
 * (tagger + taxonomy, with the category's domain or the one inferred without a category), aspect polarity
 * on the gold terms.
 */
import { chooseDomain, documentSentiment, extractAspects, type Models } from '../engine.js';
import { DOMAIN_CATEGORY, defaultTaxonomy, hasOwnTaxonomy, taggerDomain, type Taxonomy } from '../taxonomy.js';
import type { TaggerDomain } from '../tagger.js';
import { polarityItems, type AbsaItem, type SentItem } from './datasets.js';
import { STAR_SOURCES, balancedAccuracy } from './pipeline.js';
import { nlp } from '../tokenize.js';

/** The category a text of each source stands for (null: none, the engine infers the domain). */
const CATEGORY_OF: Record<string, string | null> = { yelp: 'restaurant', imdb: null, cr: 'electronics', blitzer: 'electronics', earphones: 'electronics', laptops: 'laptop', restaurants: 'restaurant', electronics: 'electronics' };

const TAXONOMIES = new Map<string | null, Taxonomy>();
const taxonomyOf = (category: string | null) => TAXONOMIES.get(category) ?? TAXONOMIES.set(category, defaultTaxonomy(category)).get(category)!;

/** The engine's aspects of a text (index.ts): a category without a taxonomy of its own marks terms with the inferred domain's. */
function aspectsOf(m: Models, it: { tk: SentItem['tk'] }, category: string | null) {
  const domain = chooseDomain(m, taggerDomain(category), it.tk);
  const marking = hasOwnTaxonomy(category) ? taxonomyOf(category) : taxonomyOf(DOMAIN_CATEGORY[domain]);
  return extractAspects(m, it.tk, domain, taxonomyOf(category), true, { marking });
}

export type Scores = Record<string, number>;

/** Row name -> score (%); `absaName` names each ABSA set (e.g. semeval / acos / huliu by domain and id). */
export function scoreModels(m: Models, sents: SentItem[], absa: Array<{ it: AbsaItem; set: string }>): Scores {
  const out: Scores = {};
  // sentence sentiment: accuracy; star reviews: balanced accuracy (4-5 vs 1-2); NEUTRAL is wrong
  const bySource = new Map<string, Array<{ gold: 0 | 1; label: string }>>();
  for (const s of sents) {
    const label = documentSentiment(m, s.tk, false, aspectsOf(m, s, CATEGORY_OF[s.source] ?? null)).label;
    const xs = bySource.get(s.source) ?? [];
    xs.push({ gold: s.label, label });
    bySource.set(s.source, xs);
  }
  const stars: Array<{ gold: 0 | 1; label: string }> = [];
  for (const [src, xs] of bySource) {
    if (STAR_SOURCES.has(src)) { stars.push(...xs); out[`sentiment ${src} reviews, balanced acc.`] = balancedAccuracy(xs); continue; }
    out[`sentiment ${src} sentences, acc.`] = (100 * xs.filter((x) => x.label === (x.gold === 1 ? 'POSITIVE' : 'NEGATIVE')).length) / xs.length;
  }
  if (stars.length) out['sentiment star reviews (all), balanced acc.'] = balancedAccuracy(stars);
  // aspect terms: exact match of the term string per sentence, micro P/R/F1, with the category and without
  const sets = [...new Set(absa.map((a) => a.set))];
  for (const set of sets) {
    const items = absa.filter((a) => a.set === set).map((a) => a.it);
    for (const withCategory of [true, false]) {
      let tp = 0, fp = 0, fn = 0;
      for (const it of items) {
        const pred = new Set(aspectsOf(m, it, withCategory ? CATEGORY_OF[it.domain] ?? null : null).map((x) => it.s.text.slice(it.toks[x.from].start, it.toks[x.to].end).toLowerCase()));
        const gold = new Set(it.s.aspects.map((a) => a.term.toLowerCase()));
        for (const p of pred) if (gold.has(p)) tp++; else fp++;
        for (const g of gold) if (!pred.has(g)) fn++;
      }
      const P = tp / Math.max(1, tp + fp), R = tp / Math.max(1, tp + fn);
      out[`aspect terms ${set}, F1 ${withCategory ? 'with category' : 'without category'}`] = P + R > 0 ? (200 * P * R) / (P + R) : 0;
    }
    // aspect polarity on the gold terms (conflict left out), the category's domain
    const pol = polarityItems(items);
    const ok = pol.filter((p) => m.polarity.classify(p.tk, p.s, p.e, p.lo, p.hi, p.domain as TaggerDomain, p.others).label === p.y).length;
    out[`aspect polarity ${set}, acc.`] = (100 * ok) / Math.max(1, pol.length);
  }
  return out;
}

/**
 * The same-data baseline: wink-nlp's document sentiment on the very texts a row scores (above zero positive,
 * else negative, as the data README's reference figures count it), so the model rows compare with it on equal terms.
 */
export function scoreWink(sents: SentItem[]): Scores {
  const n = nlp();
  const label = (s: SentItem) => (Number(n.readDoc(s.text).out(n.its.sentiment)) > 0 ? 'POSITIVE' : 'NEGATIVE');
  const cr = sents.filter((s) => s.source === 'cr');
  const stars = sents.filter((s) => STAR_SOURCES.has(s.source)).map((s) => ({ gold: s.label, label: label(s) }));
  const out: Scores = {};
  if (cr.length) out['wink-nlp on the same cr sentences, acc.'] = (100 * cr.filter((s) => label(s) === (s.label === 1 ? 'POSITIVE' : 'NEGATIVE')).length) / cr.length;
  if (stars.length) out['wink-nlp on the same star reviews, balanced acc.'] = balancedAccuracy(stars);
  return out;
}
