/**
 * Domain inference for reviews without a category (or with one the engine has no training data
 * for): a small logistic regression over the words of the text that says whether it reads like a
 * laptop, another electronics product or a restaurant review, so the aspect tagger and polarity
 * model use that domain's features. Below `minProb` the general domain is kept.
 */
import type { Tokenised } from './tokenize.js';
import { LinearModel, addFeature, trainLogReg, type Features, type LinearModelJSON } from './linear.js';
import { STOPWORDS } from './lexicon.js';
import type { TaggerDomain } from './tagger.js';

export interface DomainModelJSON { kind: 'domain'; model: LinearModelJSON; minProb: number }

export function domainFeatures(tk: Tokenised): Features {
  const f: Features = new Map();
  let n = 0;
  for (const t of tk.tokens) {
    if (t.type !== 'word' || STOPWORDS.has(t.lower) || t.lower.length < 3) continue;
    addFeature(f, 'w:' + t.lemma);
    n++;
  }
  // bag of lemmas scaled to unit length: a long review does not get more confident than a sentence of the same words
  if (n) for (const [k, v] of f) f.set(k, v / Math.sqrt(n));
  f.set('bias', 1);
  return f;
}

export class DomainModel {
  private lm: LinearModel;
  readonly minProb: number;
  constructor(json: DomainModelJSON) {
    this.lm = new LinearModel(json.model);
    this.minProb = json.minProb;
  }
  infer(tk: Tokenised): { domain: TaggerDomain; p: number } {
    const p = this.lm.probs(domainFeatures(tk));
    let best = 0;
    for (let c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
    return p[best] >= this.minProb ? { domain: this.lm.classes[best] as TaggerDomain, p: p[best] } : { domain: 'general', p: p[best] };
  }
}

export function trainDomain(items: Array<{ tk: Tokenised; domain: string; w?: number }>, opts: { epochs: number; l2: number; minProb: number; seed: number }): DomainModelJSON {
  const classes = [...new Set(items.map((i) => i.domain))].sort();
  // every domain weighs the same in total, whatever its number of texts
  const count = new Map<string, number>();
  for (const it of items) count.set(it.domain, (count.get(it.domain) ?? 0) + (it.w ?? 1));
  const data = items.map((it) => ({ f: domainFeatures(it.tk), y: it.domain, w: ((it.w ?? 1) * items.length) / classes.length / count.get(it.domain)! }));
  const model = trainLogReg(data, classes, { epochs: opts.epochs, l2: opts.l2, lr: 0.2, seed: opts.seed, minCount: 3, prune: 5e-3 });
  return { kind: 'domain', model, minProb: opts.minProb };
}
