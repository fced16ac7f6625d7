/**
 * Thin wrapper over wink-nlp: tokens with clean-text offsets, POS, lemma and sentence index.
 */
import winkNLP from 'wink-nlp';
import model from 'wink-eng-lite-web-model';

export interface Token {
  text: string;
  lower: string;
  lemma: string;
  pos: string;
  type: string; // word | punctuation | emoji | number | symbol | ...
  start: number; // offset into the tokenised string
  end: number;
  sent: number; // sentence index
}

export interface Tokenised {
  tokens: Token[];
  /** token index ranges [from, to] inclusive per sentence */
  sentences: Array<[number, number]>;
  /** wink-nlp lexicon sentiment per sentence (-1..1) */
  winkSentiment: number[];
}

type Nlp = ReturnType<typeof winkNLP>;
let nlpSingleton: Nlp | null = null;
export function nlp(): Nlp {
  if (!nlpSingleton) nlpSingleton = winkNLP(model);
  return nlpSingleton;
}

/** Normalise curly quotes etc. so that lexicon look-ups work; same length as input. */
function normaliseQuotes(s: string): string {
  return s.replace(/[\u2018\u2019\u02bc\u2032]/g, "'").replace(/[\u201c\u201d\u2033]/g, '"');
}

export function tokenise(text: string): Tokenised {
  const n = nlp();
  const its = n.its;
  const norm = normaliseQuotes(text);
  const doc = n.readDoc(norm);
  const values = doc.tokens().out(its.value) as string[];
  const pos = doc.tokens().out(its.pos) as string[];
  const lemma = doc.tokens().out(its.lemma as unknown as typeof its.value) as string[];
  const types = doc.tokens().out(its.type) as string[];
  const spans = doc.sentences().out(its.span) as unknown as Array<[number, number]>;
  const tokens: Token[] = [];
  let cursor = 0;
  let sIdx = 0;
  for (let i = 0; i < values.length; i++) {
    while (sIdx < spans.length - 1 && i > spans[sIdx][1]) sIdx++;
    const v = values[i];
    let at = norm.indexOf(v, cursor);
    if (at < 0 || at - cursor > 64) at = cursor; // wink altered the token; keep a best guess
    const end = Math.min(norm.length, at + v.length);
    cursor = end;
    tokens.push({
      text: text.slice(at, end) || v,
      lower: v.toLowerCase(),
      lemma: (lemma[i] || v).toLowerCase(),
      pos: pos[i] || 'X',
      type: types[i] || 'word',
      start: at,
      end,
      sent: sIdx,
    });
  }
  const sentences: Array<[number, number]> = spans.length ? spans.map((s) => [s[0], s[1]] as [number, number]) : tokens.length ? [[0, tokens.length - 1]] : [];
  const winkSentiment = (doc.sentences().out(its.sentiment) as unknown as number[]).map((x) => Number(x) || 0);
  return { tokens, sentences, winkSentiment };
}
