import { describe, it, expect } from 'vitest';
import { tokenise } from '../../../subgraphs/analysis/src/nlp/tokenize.js';
import { annotate } from '../../../subgraphs/analysis/src/nlp/sentiment.js';
import { opinionFeatures } from '../../../subgraphs/analysis/src/nlp/opinion.js';
import { loadLexical } from '../../../subgraphs/analysis/src/nlp/models.js';

const res = loadLexical();
function feats(text: string, term: string, other: string) {
  const tk = tokenise(text);
  const at = (w: string) => tk.tokens.findIndex((t) => t.lower === w);
  const s = at(term), o = at(other), hi = tk.tokens.length - 1;
  return opinionFeatures(tk.tokens, s, s, 0, hi, [[s, s], [o, o]], annotate(tk.tokens, 0, hi), res);
}

describe('opinion-word attachment', () => {
  it('gives each term the opinion words of its own clause', () => {
    const text = 'The screen is gorgeous, but the fan is terribly loud.';
    const screen = feats(text, 'screen', 'fan');
    const fan = feats(text, 'fan', 'screen');
    expect(screen.get('AW:gorgeous')).toBeGreaterThan(0);
    expect(screen.has('AW:loud')).toBe(false);
    expect(fan.has('AW:gorgeous')).toBe(false);
    expect(screen.get('att:bal')!).toBeGreaterThan(0);
  });
  it('flags terms with no opinion of their own', () => {
    const f = feats('I ordered the pasta and the waiter was rude.', 'pasta', 'waiter');
    expect(f.has('att:noneButSent')).toBe(true);
    expect(feats('I ordered the pasta and a salad.', 'pasta', 'salad').has('att:sentNone')).toBe(true);
  });
});
