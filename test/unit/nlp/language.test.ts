import { describe, it, expect, beforeAll } from 'vitest';
import { createAnalyzer, type Analyzer } from '../../../subgraphs/analysis/src/nlp/index.js';
import { normaliseForDetection } from '../../../subgraphs/analysis/src/nlp/langid.js';

let a: Analyzer;
beforeAll(async () => {
  a = await createAnalyzer();
});

// Short English that a character-n-gram detector reads as another language; written for this test.
const SHORT_ENGLISH = ['NOT BAD', 'POOR QUALITY', 'Don’t', 'DON’T BUY', 'Love it!', 'SO FAR SO GOOD!', 'So far so good!', 'Doesn’t work', 'Doesn’t work.', 'Top notch', 'Meh.', 'GREAT BUY', 'It’s “fine”…', 'Perfecto gift idea!', 'Bravo, five stars', 'Nice one'];

describe('language: the locale decides for short or uncertain texts', () => {
  it('short English with locale en is analysed as English', () => {
    for (const locale of ['en', 'en-US', 'en_GB']) {
      for (const t of SHORT_ENGLISH) {
        const r = a.analyze(t, { locale });
        expect(r.status, `${t} (${locale}): ${r.statusReason}`).toBe('DONE');
        expect(r.language).toBe('en');
        expect(r.sentiment).not.toBeNull();
      }
    }
  });

  it('says when the locale, not the detector, made a text English', () => {
    const r = a.analyze('SO FAR SO GOOD!', { locale: 'en-US' });
    expect(r.status).toBe('DONE');
    expect(r.languageConfidence).toBeGreaterThanOrEqual(0.5);
  });

  it('a short clear opinion gets its polarity, not a neutral shrug', () => {
    expect(a.analyze('Love it!', { locale: 'en' }).sentiment?.label).toBe('POSITIVE');
    expect(a.analyze('Doesn’t work', { locale: 'en' }).sentiment?.label).toBe('NEGATIVE');
    expect(a.analyze('SO FAR SO GOOD!', { locale: 'en' }).sentiment?.label).toBe('POSITIVE');
  });

  it('a long text the detector is sure about is still refused, whatever the locale', () => {
    const de = 'Das Gerät ist leicht, der Akku hält fast eine Woche und die Verbindung zum Telefon klappt immer.';
    const fr = 'Le casque est confortable mais la batterie se vide beaucoup trop vite après quelques semaines.';
    for (const [t, code] of [[de, 'de'], [fr, 'fr']] as const) {
      const r = a.analyze(t, { locale: 'en-US' });
      expect(r.status).toBe('UNSUPPORTED_LANGUAGE');
      expect(r.language).toBe(code);
    }
  });

  it('without a locale, long foreign text is refused and long English analysed', () => {
    expect(a.analyze('Die Kopfhörer sind bequem, aber der Klang ist leider ziemlich dünn und blechern.').status).toBe('UNSUPPORTED_LANGUAGE');
    expect(a.analyze('The headphones are comfortable, but the sound is thin and tinny at any volume.').status).toBe('DONE');
  });
});

describe('normaliseForDetection', () => {
  it('turns typographic punctuation into ASCII and capitals into lower case', () => {
    expect(normaliseForDetection('Doesn’t “work” – at all…')).toBe('Doesn\'t "work" - at all...');
    expect(normaliseForDetection('SO FAR SO GOOD!')).toBe('so far so good!');
    expect(normaliseForDetection('Works with my NAS and USB hub')).toBe('Works with my NAS and USB hub');
  });
});
