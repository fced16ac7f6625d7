import { describe, it, expect, beforeAll } from 'vitest';
import { createAnalyzer, type Analyzer, type TextAnalysis } from '../../../subgraphs/analysis/src/nlp/index.js';

let a: Analyzer;
beforeAll(async () => {
  a = await createAnalyzer();
});

function wellFormed(r: TextAnalysis, text: string) {
  expect(['DONE', 'UNSUPPORTED_LANGUAGE', 'NO_TEXT']).toContain(r.status);
  expect(r.languageConfidence).toBeGreaterThanOrEqual(0);
  expect(r.languageConfidence).toBeLessThanOrEqual(1);
  for (const s of [...r.aspects, ...r.evidence]) {
    expect(s.start).toBeGreaterThanOrEqual(0);
    expect(s.end).toBeLessThanOrEqual(text.length);
    expect(text.slice(s.start, s.end)).toBe(s.text);
  }
  if (r.status !== 'DONE') {
    expect(r.sentiment).toBeNull();
    expect(r.aspects).toEqual([]);
    expect(r.statusReason).toBeTruthy();
  }
}

describe('bad input never throws', () => {
  it('empty and whitespace → NO_TEXT', () => {
    for (const t of ['', '   ', '\n\t\r\n', '\u00a0\u2003']) {
      const r = a.analyze(t);
      expect(r.status).toBe('NO_TEXT');
      wellFormed(r, t);
    }
  });

  it('emoji-only, digits and symbols → NO_TEXT with a reason', () => {
    for (const t of ['😀😀😀', '👍', '12345', '!!! ???', '★★★★☆']) {
      const r = a.analyze(t);
      expect(r.status).toBe('NO_TEXT');
      expect(r.statusReason).toMatch(/no letters/);
      wellFormed(r, t);
    }
  });

  it('markup-only → NO_TEXT', () => {
    const r = a.analyze('<div><br/></div><!-- nothing -->');
    expect(r.status).toBe('NO_TEXT');
  });

  it('control characters and lone surrogates', () => {
    const texts = ['The strap\u0000 is comfortable\u0007 and light.', 'Battery \ud800 lasts a week \udfff easily.', 'GPS\u200b lock is fast\ufeff', '\u001b[31mgreat watch\u001b[0m'];
    for (const t of texts) {
      const r = a.analyze(t);
      wellFormed(r, t);
      expect(r.status).toBe('DONE');
    }
  });

  it('mixed scripts do not throw', () => {
    for (const t of ['Great watch 很好 отлично', 'バッテリー battery is good', 'مرحبا great', 'Ünïcödé strap is nice']) wellFormed(a.analyze(t), t);
  });

  it('non-string input is tolerated', () => {
    for (const t of [null, undefined, 42, {}] as unknown as string[]) expect(() => a.analyze(t)).not.toThrow();
  });

  it('analyses only a bounded prefix of 20,000 characters and says where it stopped', () => {
    const para = 'The battery lasts for days and the GPS locks quickly, but the strap is a bit stiff. ';
    const t = para.repeat(Math.ceil(20000 / para.length)).slice(0, 20000);
    const r = a.analyze(t, { category: 'sport-watch' });
    expect(r.status).toBe('DONE');
    const stoppedAt = Number(/up to offset (\d+) of 20000/.exec(r.statusReason ?? '')?.[1]);
    expect(stoppedAt).toBeGreaterThan(0);
    expect(stoppedAt).toBeLessThan(t.length);
    expect(r.aspects.length).toBeGreaterThan(0);
    for (const s of [...r.aspects, ...r.evidence]) expect(s.end).toBeLessThanOrEqual(stoppedAt + 1);
    wellFormed(r, t);
  });

  it('garbage options are ignored', () => {
    const r = a.analyze('Strong battery', { locale: '??', category: '', taxonomyExtensions: { x: 'nope' as unknown as string[] } });
    expect(r.status).toBe('DONE');
  });
});

describe('language', () => {
  it('German and Spanish reviews are not analysed as English', () => {
    const de = a.analyze('Die Uhr ist wirklich super, der Akku hält über eine Woche und das GPS ist sehr genau.');
    expect(de.status).toBe('UNSUPPORTED_LANGUAGE');
    expect(de.language).toBe('de');
    expect(de.sentiment).toBeNull();
    expect(de.statusReason).toMatch(/German/);
    const es = a.analyze('El reloj es muy cómodo, pero la batería dura poco y la aplicación falla mucho.');
    expect(es.status).toBe('UNSUPPORTED_LANGUAGE');
    expect(es.language).toBe('es');
    expect(es.aspects).toEqual([]);
  });

  it('English is detected with confidence', () => {
    const r = a.analyze('The GPS locks on quickly and the battery easily lasts a week of training.');
    expect(r.language).toBe('en');
    expect(r.languageConfidence).toBeGreaterThan(0.5);
  });

  it('a locale hint only breaks ties on short texts', () => {
    const long = a.analyze('The GPS locks on quickly and the battery easily lasts a week of training.', { locale: 'de-DE' });
    expect(long.language).toBe('en');
    const short = a.analyze('Super easy to use', { locale: 'en-GB' });
    expect(short.status).toBe('DONE');
  });
});
