/** Dataset preparation shared by the train and eval scripts. */
import { inTestSplit, loadAbsa, loadAbsaFile, loadLabelled, loadTsv, type AbsaSentence } from '../data.js';
import { tokenise, type Token, type Tokenised } from '../tokenize.js';
import { goldTags, type TaggerDomain } from '../tagger.js';
import type { ClauseExample } from '../polarity.js';

/** A labelled text: `source` yelp / imdb / cr (sentences) or blitzer / earphones (whole reviews, label from the stars); `w` its training weight. */
export interface SentItem { tk: Tokenised; label: 0 | 1; source: string; text: string; stars?: number; w?: number }
export interface AbsaItem { s: AbsaSentence; tk: Tokenised; toks: Token[]; tags: string[]; domain: TaggerDomain }
export interface PolItem { tk: Tokenised; s: number; e: number; lo: number; hi: number; domain: string; y: string; sentence: number; group: number; others: Array<[number, number]> }

export function sentimentItems(): SentItem[] {
  return (['yelp', 'imdb'] as const).flatMap((src) => loadLabelled(src).map((s) => ({ tk: tokenise(s.text), label: s.label, source: src, text: s.text })));
}

export function absaItems(): AbsaItem[] {
  return (['laptops', 'restaurants'] as const).flatMap((d) => loadAbsa(d).map((s) => absaItem(s, d)));
}

function absaItem(s: AbsaSentence, domain: TaggerDomain): AbsaItem {
  const tk = tokenise(s.text);
  return { s, tk, toks: tk.tokens, tags: goldTags(tk.tokens, s.aspects), domain };
}

export type Split = 'train' | 'test';

/** The product-domain data of one side of the fixed test split (see inTestSplit), detokenised and tokenised. */
export interface ProductData {
  /** CR product review sentences */
  cr: SentItem[];
  /** star-rated electronics and earphone reviews; 3 stars kept with label 0 but marked by `stars` (left out of training and scoring) */
  stars: SentItem[];
  /** Laptop-ACOS sentences (domain laptops) */
  acos: AbsaItem[];
  /** Hu & Liu's 12 electronics products (domain electronics; only opinionated features are marked) */
  huliu: AbsaItem[];
}

export function productItems(split: Split): ProductData {
  const keep = (key: string) => inTestSplit(key) === (split === 'test');
  const cr = loadTsv('cr_product_sentences.tsv', true).filter((r) => keep('cr|' + r.text))
    .map((r) => ({ tk: tokenise(r.text), label: (r.label === 1 ? 1 : 0) as 0 | 1, source: 'cr', text: r.text }));
  const stars = (['blitzer_electronics_reviews.tsv', 'amazon_earphones_reviews.tsv'] as const).flatMap((file) => {
    const source = file.startsWith('blitzer') ? 'blitzer' : 'earphones';
    return loadTsv(file, false).filter((r) => r.label !== 3 && keep(source + '|' + r.text))
      .map((r) => ({ tk: tokenise(r.text), label: (r.label >= 4 ? 1 : 0) as 0 | 1, source, text: r.text, stars: r.label }));
  });
  const acos = loadAbsaFile('laptop_acos_absa.xml', 'laptops', true).filter((s) => keep('acos|' + s.id)).map((s) => absaItem(s, 'laptops'));
  const huliu = loadAbsaFile('huliu_12products_absa.xml', 'electronics', true).filter((s) => keep('huliu|' + s.id)).map((s) => absaItem(s, 'electronics'));
  return { cr, stars, acos, huliu };
}

/** Gold aspect terms (conflict left out) as polarity examples; `sentence` indexes into the absa items. */
export function polarityItems(items: AbsaItem[]): PolItem[] {
  const out: PolItem[] = [];
  items.forEach((it, idx) => {
    const { tk } = it;
    // all gold term spans of the sentence (conflict ones too): the other terms an opinion word may attach to
    const spans = it.s.aspects.map((a) => {
      const hit = tk.tokens.map((t, i) => (t.end > a.from && t.start < a.to ? i : -1)).filter((i) => i >= 0);
      return hit.length ? ([hit[0], hit[hit.length - 1]] as [number, number]) : null;
    });
    it.s.aspects.forEach((a, j) => {
      const span = spans[j];
      if (a.polarity === 'conflict' || !span) return;
      const [s, e] = span;
      const [lo, hi] = tk.sentences[tk.tokens[s].sent] ?? [0, tk.tokens.length - 1];
      const others = spans.filter((x, q): x is [number, number] => x !== null && q !== j && !(x[0] === s && x[1] === e));
      out.push({ tk, s, e, lo: Math.min(lo, s), hi: Math.max(hi, e), domain: it.domain, y: a.polarity.toUpperCase(), sentence: idx, group: idx, others });
    });
  });
  return out;
}

/** Words of all data texts (no labels), used to choose the kept vocabulary. */
export function dataWords(texts: string[]): Set<string> {
  const words = new Set<string>();
  for (const t of texts) for (const w of t.toLowerCase().match(/[a-z][a-z'-]*/g) ?? []) words.add(w);
  return words;
}

/**
 * Texts for the in-domain clause model: the labelled yelp/imdb sentences (group -1) and the SemEval
 * sentences whose gold terms and categories (conflict aside) agree: all positive, all negative, or
 * all neutral (group = index into the absa items). `keep` selects the SemEval sentences (training folds).
 */
export function clauseItems(sents: SentItem[], absa: AbsaItem[], keep: (idx: number) => boolean = () => true): ClauseExample[] {
  const out: ClauseExample[] = sents.map((s) => ({ tk: s.tk, y: s.label === 1 ? 'POSITIVE' : 'NEGATIVE', group: -1 }));
  absa.forEach((it, idx) => {
    if (!keep(idx)) return;
    const labels = [...it.s.aspects.map((a) => a.polarity), ...it.s.categories.map((c) => c.polarity)].filter((p) => p !== 'conflict');
    const set = new Set(labels);
    if (set.size !== 1) return;
    const y = labels[0] === 'positive' ? 'POSITIVE' : labels[0] === 'negative' ? 'NEGATIVE' : labels[0] === 'neutral' ? 'NEUTRAL' : null;
    if (y) out.push({ tk: it.tk, y, group: idx });
  });
  return out;
}
