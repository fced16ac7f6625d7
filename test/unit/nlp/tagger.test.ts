import { describe, it, expect } from 'vitest';
import { TAGS, viterbi, trainTagger, AspectTagger, goldTags, spansFromTags, staticFeatures, type TaggerModelJSON, type TaggerDomain } from '../../../subgraphs/analysis/src/nlp/tagger.js';
import { LinearModel } from '../../../subgraphs/analysis/src/nlp/linear.js';
import { loadLexical, readModelJSON, MODEL_FILES } from '../../../subgraphs/analysis/src/nlp/models.js';
import { generateReviews } from '../../../scripts/demo/catalogue.js';
import { tokenise } from '../../../subgraphs/analysis/src/nlp/tokenize.js';
import { seededRandom } from '../../../lib/random.js';

/** Best legal BIO sequence by trying them all (I never after O or at the start). */
function bruteForce(n: number, emit: number[][], trans: number[][][]): number[] {
  let best: number[] = [], bestScore = -Infinity;
  const seq: number[] = [];
  const walk = (i: number, score: number) => {
    if (i === n) { if (score > bestScore) { bestScore = score; best = [...seq]; } return; }
    for (let c = 0; c < 3; c++) {
      const p = i === 0 ? 0 : seq[i - 1] + 1;
      if (TAGS[c] === 'I' && (p === 0 || TAGS[p - 1] === 'O')) continue;
      seq.push(c);
      walk(i + 1, score + emit[i][c] + trans[i][p][c]);
      seq.pop();
    }
  };
  walk(0, 0);
  return best;
}

describe('aspect tagger decoding', () => {
  it('finds the best legal tag sequence (checked against all sequences)', () => {
    const rand = seededRandom(11);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(rand() * 6);
      const emit = Array.from({ length: n }, () => [0, 1, 2].map(() => rand() * 4 - 2));
      const trans = Array.from({ length: n }, () => Array.from({ length: 4 }, () => [0, 1, 2].map(() => rand() * 4 - 2)));
      const got = viterbi(n, (i) => emit[i], (i, p) => trans[i][p]);
      expect(got).toEqual(bruteForce(n, emit, trans));
    }
  });

  it('never opens a term with I, even when I scores highest everywhere', () => {
    const tags = viterbi(4, () => [0, 0, 5], () => [0, 0, 0]).map((c) => TAGS[c]);
    expect(tags[0]).toBe('B');
    expect(tags.slice(1)).toEqual(['I', 'I', 'I']);
  });
});

describe('structured aspect tagger training', () => {
  // a toy corpus written for this test: the part after "the" and before "is" is the term, one or two words long
  const parts = ['hinge', 'fan noise', 'trackpad', 'boot time', 'speaker grille', 'charger'];
  const verdicts = ['solid', 'awful', 'fine', 'too loud', 'quick'];
  const corpus = parts.flatMap((p) => verdicts.map((v) => {
    const text = `Honestly the ${p} is ${v}.`;
    const tk = tokenise(text);
    const from = text.indexOf(p);
    return { toks: tk.tokens, tags: goldTags(tk.tokens, [{ from, to: from + p.length }]), domain: 'laptops' as const };
  }));

  it('learns one- and two-word terms and decodes them whole', () => {
    const tagger = new AspectTagger(trainTagger(corpus, null, { epochs: 5, seed: 1 }), null);
    const text = 'Honestly the fan noise is fine.';
    const toks = tokenise(text).tokens;
    const spans = tagger.tag(toks, 'laptops').map(([a, b]) => text.slice(toks[a].start, toks[b].end));
    expect(spans).toEqual(['fan noise']);
    expect(spansFromTags(tagger.tags(toks, 'laptops'))).toHaveLength(1);
  });
});

describe('shipped aspect tagger on laptop reviews', () => {
  // sentences written for this test: hardware, software and usage terms of a laptop, with and without a category
  it('finds hardware and software terms with the laptop category and without one', async () => {
    const { createAnalyzer } = await import('../../../subgraphs/analysis/src/nlp/index.js');
    const a = await createAnalyzer();
    const text = 'The keyboard has a pleasant click, the trackpad is smooth and the battery life easily covers a working day.';
    for (const category of ['laptop', undefined]) {
      const terms = a.analyze(text, { category }).aspects.map((m) => m.text.toLowerCase());
      expect(terms).toEqual(expect.arrayContaining(['keyboard', 'trackpad', 'battery life']));
    }
    const software = 'Windows 10 came preinstalled with too many trial programs, but the SSD makes it boot quickly.';
    const found = a.analyze(software, { category: 'laptop' }).aspects.map((m) => m.text.toLowerCase());
    expect(found).toEqual(expect.arrayContaining(['windows 10', 'ssd']));
  });
});

describe('indexed decoding of the shipped tagger', () => {
  // the decoder looks features up by template and value; scoring every feature by its full name (shared copy, then
  // the domain's "l:"/"r:"/"e:" copy) must give the same tags
  it('tags exactly as name-by-name scoring does, in every domain', () => {
    const json = readModelJSON<TaggerModelJSON>(MODEL_FILES.tagger);
    const res = loadLexical();
    const tagger = new AspectTagger(json, res);
    const lm = new LinearModel(json.model);
    const PREV = ['<s>', ...TAGS];
    const reference = (toks: ReturnType<typeof tokenise>['tokens'], domain: TaggerDomain): string[] => {
      const prefix = domain === 'general' ? null : domain[0] + ':';
      const score = (names: string[]) => {
        const f = new Map<string, number>();
        for (const x of names) { f.set(x, 1); if (prefix) f.set(prefix + x, 1); }
        return lm.scores(f);
      };
      const prevOnly = PREV.map((p) => score(['t-1=' + p]));
      return viterbi(toks.length, (i) => score(staticFeatures(toks, i, res)), (i, p) => score(['tw=' + PREV[p] + '|' + toks[i].lower]).map((v, c) => v + prevOnly[p][c])).map((c) => TAGS[c]);
    };
    const texts = [
      ...generateReviews(60, 3).map((r) => r.text),
      'The SSD boots Windows 10 in seconds, but the fan noise under load is hard to ignore.',
      'Battery life: 7 hrs. Screen = bright; the USB-C port works with my old charger!',
      'THE WAITER WAS RUDE AND THE PASTA COLD.',
    ];
    let terms = 0;
    for (const text of texts) {
      const tk = tokenise(text);
      for (const [a, b] of tk.sentences.length ? tk.sentences : [[0, tk.tokens.length - 1]]) {
        const toks = tk.tokens.slice(a, b + 1);
        for (const domain of ['laptops', 'restaurants', 'electronics', 'general'] as TaggerDomain[]) {
          const got = tagger.tags(toks, domain);
          expect(got).toEqual(reference(toks, domain));
          terms += spansFromTags(got).length;
        }
      }
    }
    expect(terms).toBeGreaterThan(50);
  });
});

describe('taxonomy marks as tagger features', () => {
  // a toy corpus written for this test: the term is a made-up word, told apart only by whether the taxonomy lists it
  const words = ['zorbel', 'quenix', 'plimtor', 'vardle', 'skoat', 'mirren', 'tobbet', 'fennick'];
  const corpus = words.flatMap((w, k) => ['Honestly the', 'I think the', 'Sadly the'].map((lead, j) => {
    const text = `${lead} ${w} is fine.`;
    const tk = tokenise(text);
    const listed = (k + j) % 2 === 0;
    const from = text.indexOf(w);
    const tax = tk.tokens.map((t) => (listed && t.start === from ? 1 : 0));
    return { toks: tk.tokens, tags: listed ? goldTags(tk.tokens, [{ from, to: from + w.length }]) : tk.tokens.map(() => 'O'), domain: 'electronics' as const, tax };
  }));

  it('learns to tag a listed word it never saw, and not the same word unlisted', () => {
    const json = trainTagger(corpus, null, { epochs: 6, seed: 2, prune: 0 });
    expect(json.taxonomy).toBe(true);
    const tagger = new AspectTagger(json, null);
    expect(tagger.usesTaxonomy).toBe(true);
    const text = 'Honestly the brindle is fine.';
    const toks = tokenise(text).tokens;
    const marks = toks.map((t) => (t.lower === 'brindle' ? 1 : 0));
    const found = (tax: number[] | null) => tagger.tag(toks, 'electronics', tax).map(([a, b]) => text.slice(toks[a].start, toks[b].end));
    expect(found(marks)).toEqual(['brindle']);
    expect(found(null)).toEqual([]);
    // a tagger trained without marks ignores them
    const plain = new AspectTagger(trainTagger(corpus.map(({ tax: _tax, ...c }) => c), null, { epochs: 6, seed: 2, prune: 0 }), null);
    expect(plain.usesTaxonomy).toBe(false);
    expect(plain.tags(toks, 'electronics', marks)).toEqual(plain.tags(toks, 'electronics'));
  });
});
