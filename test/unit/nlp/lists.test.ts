import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { HEDGES, PRODUCT_PHRASES, PRODUCT_POLARITY } from '../../../subgraphs/analysis/src/nlp/lexicon.js';

/** The sentences of the demo catalogue (every quoted string of scripts/demo/catalogue.ts). */
function demoSentences(): string[] {
  const src = readFileSync(resolve(__dirname, '../../../scripts/demo/catalogue.ts'), 'utf8');
  return [...src.matchAll(/'([^'\n]{6,})'/g)].map((m) => m[1].toLowerCase().replace(/[.,!?;:]/g, ' ').replace(/\s+/g, ' ').trim());
}

/** Two-word collocations of product failure that any review uses; the demo catalogue uses them too. */
const GENERAL_COLLOCATIONS = new Set(['stopped working', 'returned it']);

describe('hand-written lists hold general product language only', () => {
  it('no product expression is taken from the demo catalogue', () => {
    const demo = demoSentences();
    expect(demo.length).toBeGreaterThan(20);
    for (const p of PRODUCT_PHRASES) {
      const text = p.seq.join(' ').replace(/ n't/g, "n't");
      if (GENERAL_COLLOCATIONS.has(text)) continue;
      const re = new RegExp(`\\b${text.replace(/[.*+?^${}()|[\]\\]/g, (c) => (c === '*' ? '\\S+' : '\\' + c))}\\b`);
      expect(demo.filter((s) => re.test(s)), `"${text}" occurs in the demo catalogue`).toEqual([]);
    }
  });

  it('no demo sentence is a hedge or a product expression', () => {
    const entries = new Set([...HEDGES, ...PRODUCT_PHRASES].map((p) => p.seq.join(' ')));
    for (const s of demoSentences()) expect(entries.has(s), s).toBe(false);
  });

  it('the product polarity list has no restaurant words', () => {
    for (const w of ['tasty', 'delicious', 'bland', 'soggy', 'stale', 'fresh', 'friendly', 'attentive', 'rude', 'cozy']) expect(PRODUCT_POLARITY[w], w).toBeUndefined();
  });
});
