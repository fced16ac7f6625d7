/**
 * Aspect-term extraction: greedy left-to-right BIO tagger with an averaged
 * perceptron. Features are domain-augmented (every feature exists once as a
 * shared copy and once conjoined with the domain), so a single model serves
 * laptops, restaurants and a generic mode that only uses the shared copies.
 */
import type { Token } from './tokenize.js';
import { AveragedPerceptron, LinearModel, rng, shuffle, type Features, type LinearModelJSON } from './linear.js';
import type { LexicalResources } from './resources.js';

export const TAGS = ['O', 'B', 'I'];
export type TaggerDomain = 'laptops' | 'restaurants' | 'electronics' | 'general';

function shape(w: string): string {
  return w.replace(/[A-Z]/g, 'X').replace(/[a-z]/g, 'x').replace(/[0-9]/g, 'd').replace(/(.)\1+/g, '$1$1');
}

/** Static (tag-independent) features of token i. */
export function staticFeatures(toks: Token[], i: number, res: LexicalResources | null): string[] {
  const t = toks[i];
  const at = (k: number) => toks[i + k];
  const low = (k: number) => at(k)?.lower ?? (k < 0 ? '<s>' : '</s>');
  const pos = (k: number) => at(k)?.pos ?? (k < 0 ? '<s>' : '</s>');
  const f: string[] = [
    'bias', 'w=' + t.lower, 'l=' + t.lemma, 's3=' + t.lower.slice(-3), 's2=' + t.lower.slice(-2), 'p3=' + t.lower.slice(0, 3),
    'sh=' + shape(t.text), 'pos=' + t.pos, 'w-1=' + low(-1), 'w+1=' + low(1), 'w-2=' + low(-2), 'w+2=' + low(2),
    'p-1=' + pos(-1), 'p+1=' + pos(1), 'p-2=' + pos(-2), 'p+2=' + pos(2), 'pp=' + pos(-1) + '|' + t.pos, 'pn=' + t.pos + '|' + pos(1),
    'ppn=' + pos(-1) + '|' + t.pos + '|' + pos(1), 'ww-1=' + low(-1) + '|' + t.lower, 'ww+1=' + t.lower + '|' + low(1),
  ];
  if (t.text[0] >= 'A' && t.text[0] <= 'Z') f.push(i === 0 ? 'cap0' : 'cap');
  if (/\d/.test(t.text)) f.push('digit');
  if (t.text.includes('-')) f.push('hyphen');
  if (res) {
    for (const [k, tag] of [[0, 'c'], [-1, 'c-1'], [1, 'c+1']] as Array<[number, string]>) {
      const w = at(k);
      if (!w) continue;
      const c0 = res.cluster(w.lower, 0), c1 = res.cluster(w.lower, 1);
      f.push(tag + 'a=' + c0, tag + 'b=' + c1);
    }
    // distance to the nearest opinion word (aspect terms sit near opinions)
    let near = 9;
    for (let k = 1; k <= 4; k++) {
      for (const j of [i - k, i + k]) {
        const w = toks[j];
        if (w && Math.abs(res.polarity(w.lower)) >= 0.3) { near = Math.min(near, k); }
      }
      if (near < 9) break;
    }
    f.push('op=' + near);
    if (Math.abs(res.polarity(t.lower)) >= 0.3) f.push('selfop');
  }
  return f;
}

function buildFeatures(stat: string[], prev: string, prev2: string, domain: TaggerDomain, lower: string): Features {
  const f: Features = new Map();
  const all = [...stat, 't-1=' + prev, 't-2=' + prev2 + '|' + prev, 'tw=' + prev + '|' + lower];
  for (const s of all) {
    f.set(s, 1);
    if (domain !== 'general') f.set(domain[0] + ':' + s, 1);
  }
  return f;
}

export interface TaggerModelJSON { kind: 'aspect-tagger'; model: LinearModelJSON }

const allowed = (prev: string) => (c: number) => !(TAGS[c] === 'I' && prev === 'O');

export class AspectTagger {
  private lm: LinearModel;
  constructor(json: TaggerModelJSON, private res: LexicalResources | null) {
    this.lm = new LinearModel(json.model);
  }
  /** Returns [from, to] token ranges (inclusive) of aspect terms within [a, b]. */
  tag(toks: Token[], domain: TaggerDomain): Array<[number, number]> {
    const tags = this.tags(toks, domain);
    return spansFromTags(tags);
  }
  tags(toks: Token[], domain: TaggerDomain): string[] {
    const out: string[] = [];
    let prev = '<s>', prev2 = '<s>';
    for (let i = 0; i < toks.length; i++) {
      const f = buildFeatures(staticFeatures(toks, i, this.res), prev, prev2, domain, toks[i].lower);
      const s = this.lm.scores(f);
      let best = -1;
      const ok = allowed(prev);
      for (let c = 0; c < s.length; c++) if (ok(c) && (best < 0 || s[c] > s[best])) best = c;
      const tag = TAGS[best];
      out.push(tag);
      prev2 = prev;
      prev = tag;
    }
    return out;
  }
}

export function spansFromTags(tags: string[]): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let start = -1;
  for (let i = 0; i <= tags.length; i++) {
    const t = tags[i] ?? 'O';
    if (t === 'B' || t === 'O') {
      if (start >= 0) spans.push([start, i - 1]);
      start = t === 'B' ? i : -1;
    }
  }
  return spans;
}

export function trainTagger(
  data: Array<{ toks: Token[]; tags: string[]; domain: TaggerDomain }>,
  res: LexicalResources | null,
  opts: { epochs?: number; seed?: number; log?: (s: string) => void } = {},
): TaggerModelJSON {
  const p = new AveragedPerceptron(TAGS);
  const stat = data.map((d) => d.toks.map((_, i) => staticFeatures(d.toks, i, res)));
  const order = data.map((_, i) => i);
  const rand = rng(opts.seed ?? 3);
  const epochs = opts.epochs ?? 8;
  for (let ep = 0; ep < epochs; ep++) {
    shuffle(order, rand);
    let errs = 0, n = 0;
    for (const di of order) {
      const d = data[di];
      let prev = '<s>', prev2 = '<s>';
      for (let i = 0; i < d.toks.length; i++) {
        const f = buildFeatures(stat[di][i], prev, prev2, d.domain, d.toks[i].lower);
        p.tick();
        const guess = p.best(f, allowed(prev));
        const truth = TAGS.indexOf(d.tags[i]);
        if (guess !== truth) { p.update(f, truth, guess); errs++; }
        n++;
        prev2 = prev;
        prev = d.tags[i]; // teacher forcing on the gold history
      }
    }
    opts.log?.(`  tagger epoch ${ep + 1}/${epochs}: token error ${(100 * errs / n).toFixed(2)}%`);
  }
  return { kind: 'aspect-tagger', model: p.finish(0.15) };
}

/** BIO tags from gold character spans. */
export function goldTags(toks: Token[], spans: Array<{ from: number; to: number }>): string[] {
  const tags = toks.map(() => 'O');
  for (const s of spans) {
    let first = true;
    for (let i = 0; i < toks.length; i++) {
      if (toks[i].end <= s.from || toks[i].start >= s.to) continue;
      tags[i] = first ? 'B' : 'I';
      first = false;
    }
  }
  return tags;
}
