import { describe, it, expect, beforeAll } from 'vitest';
import { createAnalyzer, canonicalAspect, defaultTaxonomy, type Analyzer } from '../../../subgraphs/analysis/src/nlp/index.js';

let a: Analyzer;
beforeAll(async () => {
  a = await createAnalyzer();
});

describe('aspect extraction', () => {
  it('finds aspect terms with offsets into the original text', () => {
    const text = 'The GPS is great but the battery dies after two runs.';
    const r = a.analyze(text, { category: 'sport-watch' });
    const byAspect = Object.fromEntries(r.aspects.map((m) => [m.aspect, m]));
    expect(byAspect.gps).toBeDefined();
    expect(byAspect.battery).toBeDefined();
    for (const m of r.aspects) {
      expect(text.slice(m.start, m.end)).toBe(m.text);
      expect(m.snippet).toContain(m.text);
      expect(m.score).toBeGreaterThanOrEqual(-1);
      expect(m.score).toBeLessThanOrEqual(1);
    }
    expect(byAspect.gps.polarity).toBe('POSITIVE');
    expect(byAspect.battery.polarity).toBe('NEGATIVE');
  });

  it('keeps offsets right through markup, entities and emoji', () => {
    // (a bare "comfortable" is a weak word for the learned models; "very comfortable" keeps this about offsets and contrast)
    const text = '<p>😀 The <b>battery life</b> is awful &amp; annoying, but the strap is very comfortable.</p>';
    const r = a.analyze(text, { category: 'gps-watch' });
    expect(r.status).toBe('DONE');
    expect(r.statusReason).toMatch(/markup/);
    const battery = r.aspects.find((m) => m.aspect === 'battery');
    expect(battery).toBeDefined();
    expect(text.slice(battery!.start, battery!.end)).toBe('battery life');
    expect(battery!.polarity).toBe('NEGATIVE');
    const strap = r.aspects.find((m) => m.text === 'strap');
    expect(strap?.aspect).toBe('comfort');
    expect(strap?.polarity).toBe('POSITIVE');
    expect(r.keyphrases).toContain('battery life');
  });

  it('finds multi-aspect opinions in a longer review', () => {
    const text = 'I have used this watch for three months. The screen is easy to read in sunlight and the heart rate readings are accurate. Syncing with the app is painfully slow though.';
    const r = a.analyze(text, { category: 'sport-watch' });
    const aspects = new Set(r.aspects.map((m) => m.aspect));
    expect(aspects.has('display')).toBe(true);
    expect(aspects.has('heart rate')).toBe(true);
    expect(aspects.has('app/sync')).toBe(true);
    expect(r.aspects.find((m) => m.aspect === 'display')!.polarity).toBe('POSITIVE');
  });

  it('maps "easy to use" to ease of use', () => {
    const r = a.analyze('Super easy to use', { category: 'sport-watch' });
    expect(r.aspects.map((m) => m.aspect)).toContain('ease of use');
  });
});

describe('taxonomy', () => {
  it('maps surface terms to canonical aspects', () => {
    const t = defaultTaxonomy('sport-watch');
    expect(canonicalAspect('battery', t)).toBe('battery');
    expect(canonicalAspect('Battery life', t)).toBe('battery');
    expect(canonicalAspect('charge', t)).toBe('battery');
    expect(canonicalAspect('batteries', t)).toBe('battery');
    expect(canonicalAspect('GPS accuracy', t)).toBe('gps');
    expect(canonicalAspect('wrist strap', t)).toBe('comfort');
    expect(canonicalAspect('touch screen', t)).toBe('display');
  });

  it('maps unknown terms to a normalised lemma', () => {
    expect(canonicalAspect('Vibration Motors', defaultTaxonomy('sport-watch'))).toBe('vibration motor');
    expect(canonicalAspect('  ', defaultTaxonomy())).toBe('');
  });

  it('has defaults per category and a generic default', () => {
    for (const c of ['sport-watch', 'gps-watch']) {
      const keys = Object.keys(defaultTaxonomy(c));
      for (const k of ['battery', 'gps', 'comfort', 'ease of use', 'display', 'heart rate', 'durability', 'app/sync', 'price', 'design']) expect(keys).toContain(k);
    }
    expect(Object.keys(defaultTaxonomy('laptop'))).toContain('keyboard');
    expect(Object.keys(defaultTaxonomy('electronics'))).toContain('display');
    expect(Object.keys(defaultTaxonomy('restaurant'))).toContain('food');
    expect(Object.keys(defaultTaxonomy(null))).toContain('price');
    expect(Object.keys(defaultTaxonomy('garden-hose'))).toContain('price');
  });

  it('lets tenants extend the taxonomy', async () => {
    const text = 'The lap button is stiff and the bezel looks cheap.';
    const plain = a.analyze(text, { category: 'sport-watch' });
    const ext = a.analyze(text, { category: 'sport-watch', taxonomyExtensions: { controls: ['lap button', 'button'], 'build quality': ['bezel'] } });
    const lap = ext.aspects.find((m) => m.text.toLowerCase().includes('button'));
    expect(lap?.aspect).toBe('controls');
    expect(ext.aspects.find((m) => m.text.startsWith('bezel'))?.aspect).toBe('build quality');
    expect(plain.aspects.find((m) => m.text.startsWith('bezel'))?.aspect).toBe('durability');
    // extensions apply only to the call that passes them
    expect(a.analyze(text, { category: 'sport-watch' }).aspects.find((m) => m.text.startsWith('bezel'))?.aspect).toBe('durability');
  });

  it("finds a tenant's extension terms wherever they occur, also where the tagger alone finds no term", () => {
    // the tagger reads taxonomy matches as features; a tenant's own terms are always taken
    const text = 'I use it every morning and my wife loves it.';
    expect(a.analyze(text, { category: 'sport-watch' }).aspects.map((m) => m.text)).not.toContain('morning');
    const ext = a.analyze(text, { category: 'sport-watch', taxonomyExtensions: { routine: ['morning'], household: ['wife'] } });
    expect(ext.aspects.map((m) => [m.text, m.aspect])).toEqual(expect.arrayContaining([['morning', 'routine'], ['wife', 'household']]));
  });

  it('lets the aspects of a sentence move its sentiment, so a review does not contradict its only aspect', () => {
    // neither sentence has a sentiment word a general lexicon knows to be negative
    for (const text of ['The GPS keeps dropping the signal on every run.', 'The display scratched within a week.']) {
      const r = a.analyze(text, { category: 'sport-watch' });
      expect(r.aspects.map((m) => m.polarity), text).toContain('NEGATIVE');
      expect(r.aspects.every((m) => m.polarity !== 'POSITIVE'), text).toBe(true);
      expect(r.sentiment?.label, text).toBe('NEGATIVE');
      // and the aspect that moved it is among the evidence a frontend highlights
      const negative = r.aspects.find((m) => m.polarity === 'NEGATIVE')!;
      expect(r.evidence.some((e) => e.polarity === 'NEGATIVE' && e.start === negative.start && e.end === negative.end), text).toBe(true);
    }
  });
});
