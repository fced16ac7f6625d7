import { describe, it, expect, beforeAll } from 'vitest';
import { createAnalyzer, MODEL_VERSION, type Analyzer } from '../../../subgraphs/analysis/src/nlp/index.js';

let a: Analyzer;
beforeAll(async () => {
  a = await createAnalyzer();
});

const label = (t: string) => a.analyze(t, { category: 'sport-watch' }).sentiment?.label;
const score = (t: string) => a.analyze(t, { category: 'sport-watch' }).sentiment?.score ?? NaN;

describe('sentence sentiment', () => {
  it('labels plain opinions', () => {
    expect(label('Super easy to use')).toBe('POSITIVE');
    expect(label('Strong battery')).toBe('POSITIVE');
    expect(label('The pace readings are awful and the strap broke after a week.')).toBe('NEGATIVE');
  });

  it('handles negation', () => {
    expect(label('The watch is good')).toBe('POSITIVE');
    expect(label('The watch is not good')).toBe('NEGATIVE');
    expect(label("The heart rate sensor isn't accurate at all")).toBe('NEGATIVE');
  });

  it('weighs the clause after a contrast marker', () => {
    expect(label('The GPS is great but the battery dies after two runs.')).toBe('NEGATIVE');
    expect(label('The strap felt stiff at first, but now it is very comfortable.')).toBe('POSITIVE');
    // the same words without the contrast lean the other way
    expect(score('The battery dies after two runs but the GPS is great.')).toBeGreaterThan(score('The GPS is great but the battery dies after two runs.'));
  });

  it('strengthens with intensifiers', () => {
    expect(score('The screen is extremely bright and clear')).toBeGreaterThanOrEqual(score('The screen is bright and clear') - 0.02);
    expect(score('The menus are very confusing')).toBeLessThan(0);
  });

  it('does not read hedges as praise', () => {
    expect(label('Could have been better')).not.toBe('POSITIVE');
    expect(label('The sync could be improved')).not.toBe('POSITIVE');
    const notBad = a.analyze('Not bad at all').sentiment!;
    expect(notBad.label).toBe('POSITIVE');
    // mildly positive: less than plain praise (product reviews use "not bad" as real praise, so no fixed bound)
    expect(notBad.score).toBeLessThan(a.analyze('Absolutely great, I love it').sentiment!.score);
  });

  it('reads product expressions that carry no sentiment word, negated ones turned round', () => {
    expect(label('It stopped working after a month.')).toBe('NEGATIVE');
    expect(label('The strap fell apart after two weeks.')).toBe('NEGATIVE');
    expect(label('Worth every penny.')).toBe('POSITIVE');
    expect(label('Definitely not worth the money.')).toBe('NEGATIVE');
    const r = a.analyze('The battery holds a charge for days.', { category: 'sport-watch' });
    expect(r.sentiment!.label).toBe('POSITIVE');
    expect(r.aspects.find((x) => x.aspect === 'battery')?.polarity).toBe('POSITIVE');
    // the expression is one evidence span
    expect(r.evidence.some((e) => e.text === 'holds a charge' && e.polarity === 'POSITIVE')).toBe(true);
  });

  it('returns a score in [-1, 1], evidence spans and the model version', () => {
    const r = a.analyze('Honestly the GPS is fantastic, I love this watch.');
    expect(r.status).toBe('DONE');
    expect(r.sentiment!.score).toBeGreaterThanOrEqual(-1);
    expect(r.sentiment!.score).toBeLessThanOrEqual(1);
    expect(r.modelVersion).toBe(MODEL_VERSION);
    expect(r.evidence.length).toBeGreaterThan(0);
    const text = 'Honestly the GPS is fantastic, I love this watch.';
    for (const e of r.evidence) expect(text.slice(e.start, e.end)).toBe(e.text);
    expect(r.evidence.some((e) => e.text === 'fantastic' && e.polarity === 'POSITIVE')).toBe(true);
  });

  it('reports a negated phrase as one evidence span', () => {
    const r = a.analyze('The watch is not good');
    expect(r.evidence.some((e) => e.text === 'not good' && e.polarity === 'NEGATIVE')).toBe(true);
  });
});
