import { describe, it, expect } from 'vitest';
import { generateReviews } from '../../../scripts/demo/catalogue.js';
import { tokenise, type Tokenised } from '../../../subgraphs/analysis/src/nlp/tokenize.js';
import { loadLexical, MODEL_FILES, readModelJSON } from '../../../subgraphs/analysis/src/nlp/models.js';
import { SentimentModel, sentenceFeatures, type SentimentModelJSON } from '../../../subgraphs/analysis/src/nlp/sentiment.js';
import { PolarityModel, type PolarityModelJSON } from '../../../subgraphs/analysis/src/nlp/polarity.js';
import { clauseOf } from '../../../subgraphs/analysis/src/nlp/opinion.js';
import { PRODUCT_POLARITY } from '../../../subgraphs/analysis/src/nlp/lexicon.js';
import type { LexicalResourcesJSON } from '../../../subgraphs/analysis/src/nlp/resources.js';

// The engine memoises sentence and clause scores per text, since a sentence is scored for its verdict and again
// for each of its aspect terms. A memo must never change an answer: these checks compare it with cold models.

const res = loadLexical()!;
const sentimentJSON = readModelJSON<SentimentModelJSON>(MODEL_FILES.sentiment);
const polarityJSON = readModelJSON<PolarityModelJSON>(MODEL_FILES.polarity);

/** Project-written texts: demo catalogue reviews (several sentences each) and contrast sentences, which score their second clause on its own. */
const TEXTS = [
  ...generateReviews(80, 11).filter((r) => r.locale === 'en-US').map((r) => r.text),
  'The screen is bright but the battery dies by lunch, and the strap is not comfortable at all.',
  'Although the app is slow, the GPS locks on fast; however the charger broke after a week.',
  'Not bad for the price, yet I wish the buttons were easier to press.',
];

/** Every range the engine scores in a text: each sentence, each clause around each word, and what follows a contrast word. */
function ranges(tk: Tokenised): Array<[number, number, number]> {
  const out: Array<[number, number, number]> = [];
  tk.sentences.forEach(([lo, hi], si) => {
    out.push([lo, hi, tk.winkSentiment[si] ?? 0], [lo, hi, 0]);
    for (let i = lo; i <= hi; i++) {
      const [a, b] = clauseOf(tk.tokens, i, i, lo, hi);
      out.push([a, b, 0]);
      if (tk.tokens[i].lower === 'but' && i < hi) out.push([i + 1, hi, 0]);
    }
  });
  return out;
}

describe('memoised sentence and clause scores', () => {
  it('answer every range as a model that never scored the text before', () => {
    const sentence = new SentimentModel(sentimentJSON, res);
    const clause = new SentimentModel(polarityJSON.clause!, res);
    let checked = 0;
    for (const text of TEXTS) {
      const tk = tokenise(text);
      const all = ranges(tk);
      // score everything once, so the later reads come from the memo, in an order unlike the checks'
      for (const [a, b, w] of [...all].reverse()) { sentence.scoreRange(tk, a, b, w, true); sentence.scoreRange(tk, a, b, w); clause.rangeScores(tk, a, b, w); clause.scoreRange(tk, a, b, w); }
      for (const [a, b, w] of all) {
        // the memo is per text: a fresh tokenisation of the same text is scored from scratch
        const cold = tokenise(text);
        for (const withContrib of [false, true]) expect(sentence.scoreRange(tk, a, b, w, withContrib)).toEqual(sentence.scoreRange(cold, a, b, w, withContrib));
        expect(clause.rangeScores(tk, a, b, w)).toEqual(clause.lm.scores(sentenceFeatures(cold, a, b, w, res)));
        expect(clause.scoreRange(tk, a, b, w)).toEqual(clause.scoreRange(cold, a, b, w));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('give each aspect term of a text the same polarity whatever order its terms are classified in', () => {
    const sent = new SentimentModel(sentimentJSON, res);
    const forward = new PolarityModel(polarityJSON, res, sent);
    const backward = new PolarityModel(polarityJSON, res, new SentimentModel(sentimentJSON, res));
    let terms = 0;
    for (const text of TEXTS.slice(0, 30)) {
      const tk = tokenise(text);
      const jobs = tk.sentences.flatMap(([lo, hi]) => {
        const spans = tk.tokens.slice(lo, hi + 1).flatMap((t, k) => (t.pos === 'NOUN' ? [[lo + k, lo + k] as [number, number]] : []));
        return spans.map(([s, e]) => ({ s, e, lo, hi, spans }));
      });
      const a = jobs.map((j) => forward.classify(tk, j.s, j.e, j.lo, j.hi, 'electronics', j.spans));
      const b = [...jobs].reverse().map((j) => backward.classify(tk, j.s, j.e, j.lo, j.hi, 'electronics', j.spans)).reverse();
      expect(a).toEqual(b);
      terms += jobs.length;
    }
    expect(terms).toBeGreaterThan(50);
  });
});

describe('the polarity prior of a word', () => {
  it('is the hand-written product polarity where there is one, else the learned prior', () => {
    const json = readModelJSON<LexicalResourcesJSON>(MODEL_FILES.lexical);
    json.vocab.forEach((w, i) => {
      const expected = Object.hasOwn(PRODUCT_POLARITY, w) ? PRODUCT_POLARITY[w] : (json.prior[i] ?? 0) / 100;
      if (res.polarity(w) !== expected) expect(`${w}: ${res.polarity(w)}`).toBe(`${w}: ${expected}`);
    });
    for (const [w, p] of Object.entries(PRODUCT_POLARITY)) expect(res.polarity(w)).toBe(p);
    for (const w of ['constructor', 'toString', '__proto__', 'zzzqqq']) expect(res.polarity(w)).toBe(json.vocab.includes(w) ? (json.prior[json.vocab.indexOf(w)] ?? 0) / 100 : 0);
  });
});
