/**
 * reviewgraph analysis engine: language identification, sentence sentiment,
 * aspect extraction + polarity, keyphrases. Pure TypeScript, models loaded
 * once from subgraphs/analysis/model/.
 */
import { cleanText, letterCount, toOriginal, type CleanText } from './text.js';
import { tokenise } from './tokenize.js';
import { LanguageIdentifier } from './langid.js';
import { loadModels } from './models.js';
import { chooseDomain, documentSentiment, extractAspects, keyphrases, type Models } from './engine.js';
import { DOMAIN_CATEGORY, defaultTaxonomy as taxonomyFor, extendTaxonomy, hasOwnTaxonomy, taggerDomain, canonicalAspect as canonical, type Taxonomy as Tax } from './taxonomy.js';

export type Polarity = 'POSITIVE' | 'NEUTRAL' | 'NEGATIVE';
export type EngineStatus = 'DONE' | 'UNSUPPORTED_LANGUAGE' | 'NO_TEXT';
export interface Span { start: number; end: number; text: string }
export interface EvidenceSpan extends Span { polarity: Polarity; weight: number }
export interface AspectMention extends Span { term: string; aspect: string; polarity: Polarity; score: number; snippet: string }
export interface TextAnalysis {
  status: EngineStatus;
  statusReason: string | null;
  language: string | null;
  languageConfidence: number;
  sentiment: { label: Polarity; score: number } | null;
  aspects: AspectMention[];
  keyphrases: string[];
  evidence: EvidenceSpan[];
  modelVersion: string;
}
export type Taxonomy = Tax;
export interface AnalyzeOptions { locale?: string | null; category?: string | null; taxonomyExtensions?: Taxonomy }
export interface Analyzer { analyze(text: string, opts?: AnalyzeOptions): TextAnalysis; readonly modelVersion: string }

/** Bump when any model artifact or the feature code changes. */
export const MODEL_VERSION = 'rg-nlp-2.1.0';

/** Characters of cleaned text analysed at most; the rest is ignored (and said so). */
export const MAX_ANALYSED_CHARS = 5000;

/** Default aspect taxonomy for a product category (sport-watch, gps-watch, laptop, electronics, restaurant, ...; else generic). */
export function defaultTaxonomy(category?: string | null): Taxonomy {
  return taxonomyFor(category);
}

export function canonicalAspect(term: string, taxonomy: Taxonomy): string {
  try {
    return canonical(term, taxonomy);
  } catch {
    return typeof term === 'string' ? term.trim().toLowerCase() : '';
  }
}

/** The engine failed on a text (a bug or a broken model), as opposed to a text it cannot analyse. */
export class AnalysisEngineError extends Error {
  constructor(cause: unknown) {
    super(`analysis engine failed: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'AnalysisEngineError';
  }
}

function empty(status: EngineStatus, reason: string | null, language: string | null = null, confidence = 0): TextAnalysis {
  return { status, statusReason: reason, language, languageConfidence: confidence, sentiment: null, aspects: [], keyphrases: [], evidence: [], modelVersion: MODEL_VERSION };
}

const LANGUAGE_NAMES: Record<string, string> = { de: 'German', es: 'Spanish', fr: 'French', it: 'Italian', nl: 'Dutch', pt: 'Portuguese', sv: 'Swedish', da: 'Danish', no: 'Norwegian', fi: 'Finnish', pl: 'Polish', ru: 'Russian', ja: 'Japanese', zh: 'Chinese', ko: 'Korean', tr: 'Turkish', ar: 'Arabic', cs: 'Czech' };

class EngineAnalyzer implements Analyzer {
  readonly modelVersion = MODEL_VERSION;
  private taxCache = new Map<string, Taxonomy>();
  constructor(private models: Models, private lid: LanguageIdentifier) {}

  private englishCoverage = (s: string): number => {
    const words = s.toLowerCase().match(/\p{L}[\p{L}']*/gu) ?? [];
    if (!words.length || !this.models.res) return 0;
    let known = 0;
    for (const w of words) if (this.models.res.has(w) || this.models.res.has(w.replace(/'.*$/, ''))) known++;
    return known / words.length;
  };

  private taxonomyFor(opts: AnalyzeOptions): Taxonomy {
    const key = (opts.category ?? '') + '\u0000' + (opts.taxonomyExtensions ? safeJson(opts.taxonomyExtensions) : '');
    let t = this.taxCache.get(key);
    if (!t) {
      t = extendTaxonomy(defaultTaxonomy(opts.category), opts.taxonomyExtensions);
      if (this.taxCache.size > 500) this.taxCache.clear();
      this.taxCache.set(key, t);
    }
    return t;
  }

  analyze(text: string, opts: AnalyzeOptions = {}): TextAnalysis {
    try {
      return this.run(typeof text === 'string' ? text : text == null ? '' : String(text), opts ?? {});
    } catch (err) {
      // A fault is not a verdict on the text: the caller retries it, never stores it as a result.
      throw new AnalysisEngineError(err);
    }
  }

  private run(raw: string, opts: AnalyzeOptions): TextAnalysis {
    const ct = cleanText(raw, MAX_ANALYSED_CHARS);
    const notes: string[] = [];
    if (ct.markupRemoved) notes.push('markup removed before analysis');
    if (!ct.text.trim()) return empty('NO_TEXT', raw.length ? 'no analysable text (only whitespace, markup or control characters)' : 'empty text');
    const letters = letterCount(ct.text);
    if (letters === 0) return empty('NO_TEXT', 'no letters: only emoji, symbols, digits or punctuation; nothing to analyse');
    const lang = this.lid.identify(ct.text, opts.locale, this.englishCoverage);
    if (lang.language !== 'en' || lang.confidence < 0.25) {
      if (lang.language === 'en') return empty('UNSUPPORTED_LANGUAGE', `language undeterminable (English only at ${lang.confidence} confidence); not analysed`, null, lang.confidence);
      const name = lang.language ? (LANGUAGE_NAMES[lang.language] ?? lang.language) : null;
      return empty('UNSUPPORTED_LANGUAGE', name ? `language detected as ${name} (${lang.language}); only English is analysed` : 'language undeterminable; only English is analysed', lang.language, lang.confidence);
    }
    if (lang.reason) notes.push(`language: ${lang.reason}`);
    if (ct.truncated) notes.push(`text truncated: analysed the first ${ct.text.length} cleaned characters (up to offset ${ct.origin[ct.text.length]} of ${raw.length})`);

    const tk = tokenise(ct.text);
    const taxonomy = this.taxonomyFor(opts);
    const domain = chooseDomain(this.models, taggerDomain(opts.category), tk);
    // a category without a taxonomy of its own has its terms marked with the taxonomy of the domain read from the text
    const marking = hasOwnTaxonomy(opts.category) ? taxonomy : this.taxonomyFor({ ...opts, category: DOMAIN_CATEGORY[domain] });
    const raws = extractAspects(this.models, tk, domain, taxonomy, true, { marking, extensions: opts.taxonomyExtensions });
    const sent = documentSentiment(this.models, tk, true, raws);
    const span = (s: number, e: number): Span => {
      const o = toOriginal(ct, s, e, raw);
      return { start: o.start, end: o.end, text: raw.slice(o.start, o.end) };
    };
    const aspects: AspectMention[] = raws.map((a) => {
      const sp = span(tk.tokens[a.from].start, tk.tokens[a.to].end);
      return { ...sp, term: a.term, aspect: a.aspect, polarity: a.polarity, score: a.score, snippet: snippetFor(ct, tk.tokens, tk.sentences[a.sentence], a.from, a.to) };
    });
    const evidence: EvidenceSpan[] = sent.evidence.map((e) => ({ ...span(e.start, e.end), polarity: e.polarity, weight: e.weight }));
    return {
      status: 'DONE',
      statusReason: notes.length ? notes.join('; ') : null,
      language: 'en',
      languageConfidence: lang.confidence,
      sentiment: { label: sent.label, score: sent.score },
      aspects,
      keyphrases: keyphrases(tk, raws),
      evidence,
      modelVersion: MODEL_VERSION,
    };
  }
}

function snippetFor(ct: CleanText, toks: ReturnType<typeof tokenise>['tokens'], sent: [number, number] | undefined, from: number, to: number): string {
  const [a, b] = sent ?? [from, to];
  let s = toks[a].start, e = toks[b].end;
  const max = 240;
  if (e - s > max) {
    const mid = (toks[from].start + toks[to].end) / 2;
    s = Math.max(s, Math.floor(mid - max / 2));
    e = Math.min(e, s + max);
    // avoid cutting words
    while (s > toks[a].start && /\S/.test(ct.text[s - 1])) s--;
    while (e < toks[b].end && /\S/.test(ct.text[e])) e++;
  }
  return ct.text.slice(s, e).trim();
}

function safeJson(x: unknown): string {
  try {
    return JSON.stringify(x);
  } catch {
    return '';
  }
}

let shared: Promise<Analyzer> | null = null;

/** Loads the models once per process; later calls share the same analyzer. */
export async function createAnalyzer(): Promise<Analyzer> {
  if (!shared) {
    shared = (async () => new EngineAnalyzer(loadModels(), await LanguageIdentifier.create()))();
    shared.catch(() => { shared = null; });
  }
  return shared;
}
