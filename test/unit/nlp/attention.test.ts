import { describe, it, expect } from 'vitest';
import { tokenise } from '../../../subgraphs/analysis/src/nlp/tokenize.js';
import { loadLexical } from '../../../subgraphs/analysis/src/nlp/models.js';
import { AttentionNet, attentionInputs, sentenceVectors, trainAttention } from '../../../subgraphs/analysis/src/nlp/attention.js';
import { POLARITIES, PolarityModel, type PolarityModelJSON } from '../../../subgraphs/analysis/src/nlp/polarity.js';
import { MODEL_FILES, readModelJSON } from '../../../subgraphs/analysis/src/nlp/models.js';
import { SentimentModel, type SentimentModelJSON } from '../../../subgraphs/analysis/src/nlp/sentiment.js';

const res = loadLexical()!;
const POS = ['great', 'excellent', 'superb', 'lovely'];
const NEG = ['awful', 'terrible', 'dreadful', 'poor'];

/** Generated sentences about `term`: an opinion next to it, the same opinion negated, or none. */
function examples(terms: string[]) {
  const out: Array<{ text: string; term: string; y: string }> = [];
  for (const term of terms) {
    for (const a of POS) out.push({ text: `The ${term} was ${a}.`, term, y: 'POSITIVE' }, { text: `The ${term} was not ${a}.`, term, y: 'NEGATIVE' });
    for (const a of NEG) out.push({ text: `The ${term} was ${a}.`, term, y: 'NEGATIVE' }, { text: `The ${term} was not ${a} at all.`, term, y: 'POSITIVE' });
    out.push({ text: `I ordered the ${term} on Tuesday.`, term, y: 'NEUTRAL' }, { text: `We asked about the ${term} twice.`, term, y: 'NEUTRAL' });
  }
  return out.map((x) => {
    const tk = tokenise(x.text);
    const s = tk.tokens.findIndex((t) => t.lower === x.term);
    return { tk, s, e: s, lo: 0, hi: tk.tokens.length - 1, y: x.y };
  });
}

const OPTS = { hidden: 16, epochs: 30, lr: 0.01, l2: 1e-5, seed: 1 };

describe('term-attention network', () => {
  it('learns negation and opinion-free mentions, and applies them to terms it never saw', () => {
    const net = new AttentionNet(trainAttention(examples(['pasta', 'waiter', 'screen', 'battery', 'keyboard']), [...POLARITIES], res, OPTS));
    const test = examples(['soup', 'charger']);
    const right = test.filter((x) => {
      const p = net.probs(attentionInputs(x.tk, x.s, x.e, x.lo, x.hi, res));
      return POLARITIES[p.indexOf(Math.max(...p))] === x.y;
    }).length;
    expect(right / test.length).toBeGreaterThanOrEqual(0.9);
  });

  it('trains deterministically for a seed', () => {
    const data = examples(['pasta', 'screen']);
    const a = trainAttention(data, [...POLARITIES], res, { ...OPTS, epochs: 3 });
    const b = trainAttention(data, [...POLARITIES], res, { ...OPTS, epochs: 3 });
    const c = trainAttention(data, [...POLARITIES], res, { ...OPTS, epochs: 3, seed: 2 });
    expect(b).toEqual(a);
    expect(c.We).not.toEqual(a.We);
  });

  it('gives each term of a sentence the same answer whether or not the sentence projections are shared', () => {
    const net = new AttentionNet(trainAttention(examples(['pasta', 'screen']), [...POLARITIES], res, { ...OPTS, epochs: 3 }));
    const tk = tokenise('The pasta was superb but the waiter was terribly rude to us.');
    const hi = tk.tokens.length - 1;
    const at = (w: string) => tk.tokens.findIndex((t) => t.lower === w);
    const shared = sentenceVectors(tk, 0, hi, res);
    for (const term of ['pasta', 'waiter']) {
      const s = at(term);
      expect(net.probs(attentionInputs(tk, s, s, 0, hi, res, shared))).toEqual(net.probs(attentionInputs(tk, s, s, 0, hi, res)));
    }
  });

  it('takes part in the shipped polarity model for every domain, categories without training data included', () => {
    const json = readModelJSON<PolarityModelJSON>(MODEL_FILES.polarity);
    const sent = new SentimentModel(readModelJSON<SentimentModelJSON>(MODEL_FILES.sentiment), res);
    const withNet = new PolarityModel(json, res, sent);
    const linearOnly = new PolarityModel({ ...json, sequence: undefined }, res, sent);
    const tk = tokenise('The strap broke after a week but the screen is easy to read.');
    const hi = tk.tokens.length - 1;
    const strap = tk.tokens.findIndex((t) => t.lower === 'strap');
    const screen = tk.tokens.findIndex((t) => t.lower === 'screen');
    for (const domain of ['laptops', 'restaurants', 'general']) {
      const a = withNet.classify(tk, strap, strap, 0, hi, domain, [[screen, screen]]).probs;
      const b = linearOnly.classify(tk, strap, strap, 0, hi, domain, [[screen, screen]]).probs;
      expect(a, domain).not.toEqual(b);
    }
  });
});
