/**
 * Term-attention network for aspect polarity: a small neural model that sees
 * the sentence as a sequence, unlike the linear model's bag of window features.
 * Each token within WINDOW of the term becomes a vector (its word vector,
 * negation, lexicon prior, distance to the term, clause membership); a
 * width-3 convolution conditioned on the term's vector gives hidden states,
 * attention pools them, and a softmax layer reads the pooled state together
 * with a max-pool. Trained with Adam on the same examples as the linear model;
 * its probabilities are blended with the linear model's.
 */
import type { Tokenised } from './tokenize.js';
import type { LexicalResources } from './resources.js';
import { annotate, type TokenAnnotation } from './sentiment.js';
import { clauseOf } from './opinion.js';
import { CONTRAST_AFTER, STOPWORDS } from './lexicon.js';
import { rng, shuffle, softmax } from './linear.js';

const WINDOW = 15;
/** Inputs per token besides its word vector (see attentionInputs). */
const EXTRA = 14;

export interface AttentionNetJSON {
  kind: 'term-attention';
  classes: string[];
  dims: number;
  hidden: number;
  /** row-major weights, rounded */
  We: number[]; Wx: number[]; T: number[]; b: number[]; v: number[]; U: number[]; ub: number[];
}

/**
 * The word vectors of a sentence's tokens as the network reads them (a negated word's vector turned round; none
 * for stopwords, punctuation and unknown words). Shared by the terms of the sentence, and so is each net's
 * projection of them (`proj`), which is most of the network's arithmetic.
 */
export interface SentenceVectors { lo: number; vecs: Array<Float64Array | null>; ann: TokenAnnotation[]; proj: WeakMap<object, Array<Float64Array | null>> }

export function sentenceVectors(tk: Tokenised, lo: number, hi: number, res: LexicalResources): SentenceVectors {
  const ann = annotate(tk.tokens, lo, hi);
  const vecs = ann.map((an, k) => {
    const tok = tk.tokens[lo + k];
    if (tok.type !== 'word' || STOPWORDS.has(tok.lower)) return null;
    const v = new Float64Array(res.dims);
    return res.addVector(tok.lower, v, an.neg ? -1 : 1) ? v : null;
  });
  return { lo, vecs, ann, proj: new WeakMap() };
}

/** The window around term tokens [s, e]: token positions a.., the term's vector and each token's other inputs. */
export interface AttentionInput { a: number; s: number; e: number; sv: SentenceVectors; ext: Float64Array[]; t: Float64Array }

export function attentionInputs(tk: Tokenised, s: number, e: number, lo: number, hi: number, res: LexicalResources, sv = sentenceVectors(tk, lo, hi, res)): AttentionInput {
  const toks = tk.tokens;
  const D = res.dims;
  const [ca, cb] = clauseOf(toks, s, e, lo, hi);
  const a = Math.max(lo, s - WINDOW), b = Math.min(hi, e + WINDOW);
  const t = new Float64Array(D);
  let nt = 0;
  for (let i = s; i <= e; i++) if (res.addVector(toks[i].lower, t)) nt++;
  if (nt > 1) for (let d = 0; d < D; d++) t[d] /= nt;
  const ext: Float64Array[] = [];
  for (let i = a; i <= b; i++) {
    const tok = toks[i];
    const x = new Float64Array(EXTRA);
    const isTerm = i >= s && i <= e;
    const an = sv.ann[i - lo];
    const p = res.polarity(tok.lower) || res.polarity(tok.lemma);
    const d = isTerm ? 0 : i < s ? s - i : i - e;
    let k = 0;
    x[k++] = isTerm ? 1 : 0;
    x[k++] = an.neg ? 1 : 0;
    x[k++] = p * (an.neg ? -1 : 1) * an.intensity;
    x[k++] = an.hedgePolarity;
    x[k++] = i >= ca && i <= cb ? 1 : 0;
    x[k++] = i < s ? 1 : 0;
    x[k++] = 1 / (1 + d);
    x[k++] = d >= 1 && d <= 2 ? 1 : 0;
    x[k++] = d >= 3 && d <= 6 ? 1 : 0;
    x[k++] = d > 6 ? 1 : 0;
    x[k++] = CONTRAST_AFTER.has(tok.lower) ? 1 : 0;
    x[k++] = tok.lower === '!' ? 1 : 0;
    x[k++] = tok.lower === '?' ? 1 : 0;
    x[k++] = tok.type === 'punctuation' && tok.lower !== '!' && tok.lower !== '?' ? 1 : 0;
    ext.push(x);
  }
  return { a, s, e, sv, ext, t };
}

/** We: hidden × (3 × dims), the convolution over the word vectors of positions i-1, i, i+1; Wx: (3 × inputs) × hidden, the same over the other inputs (laid out for the sparse inputs). */
interface Params { We: Float64Array; Wx: Float64Array; T: Float64Array; b: Float64Array; v: Float64Array; U: Float64Array; ub: Float64Array }

/** h: the hidden states of the window's positions, one after another (positions × hidden) */
interface Forward { n: number; h: Float64Array; alpha: number[]; pooled: Float64Array; argmax: Int32Array; p: number[] }

class Net {
  constructor(readonly D: number, readonly H: number, readonly C: number, readonly P: Params, private cacheProjections: boolean) {}
  /** Word vector of window position k (none for the term's own tokens). */
  private vec(inp: AttentionInput, k: number): Float64Array | null {
    const i = inp.a + k;
    return i >= inp.s && i <= inp.e ? null : inp.sv.vecs[i - inp.sv.lo];
  }
  /** We times a word vector, for each of the three convolution offsets (3 × hidden). */
  private project(v: Float64Array): Float64Array {
    const { D, H, P } = this;
    const out = new Float64Array(3 * H);
    for (let j = 0; j < H; j++) {
      const row = j * 3 * D;
      for (let o = 0; o < 3; o++) {
        let acc = 0;
        const base = row + o * D;
        for (let d = 0; d < D; d++) acc += P.We[base + d] * v[d];
        out[o * H + j] = acc;
      }
    }
    return out;
  }
  private projections(inp: AttentionInput): Array<Float64Array | null> {
    const n = inp.ext.length;
    let cached = this.cacheProjections ? inp.sv.proj.get(this) : undefined;
    if (!cached && this.cacheProjections) { cached = []; inp.sv.proj.set(this, cached); }
    const out: Array<Float64Array | null> = [];
    for (let k = 0; k < n; k++) {
      const v = this.vec(inp, k);
      if (!v) { out.push(null); continue; }
      const i = inp.a + k - inp.sv.lo;
      let pr = cached?.[i];
      if (!pr) { pr = this.project(v); if (cached) cached[i] = pr; }
      out.push(pr);
    }
    return out;
  }
  forward(inp: AttentionInput): Forward {
    const { H, D, C, P } = this;
    const X = EXTRA;
    const n = inp.ext.length;
    const proj = this.projections(inp);
    const tb = new Float64Array(H);
    for (let j = 0; j < H; j++) {
      let acc = P.b[j];
      for (let d = 0; d < D; d++) acc += P.T[j * D + d] * inp.t[d];
      tb[j] = acc;
    }
    const { Wx, v } = P;
    const h = new Float64Array(n * H);
    const s = new Array<number>(n);
    for (let k = 0; k < n; k++) {
      const hk = k * H;
      h.set(tb, hk);
      for (let o = 0; o < 3; o++) {
        const q = k + o - 1;
        if (q < 0 || q >= n) continue;
        const pr = proj[q];
        if (pr) for (let j = 0, po = o * H; j < H; j++) h[hk + j] += pr[po + j];
        const x = inp.ext[q];
        for (let r = 0; r < X; r++) {
          const xv = x[r];
          if (xv === 0) continue;
          const base = (o * X + r) * H;
          for (let j = 0; j < H; j++) h[hk + j] += Wx[base + j] * xv;
        }
      }
      let sk = 0;
      for (let j = 0; j < H; j++) { const a = Math.tanh(h[hk + j]); h[hk + j] = a; sk += v[j] * a; }
      s[k] = sk;
    }
    const alpha = softmax(s);
    const pooled = new Float64Array(2 * H);
    const argmax = new Int32Array(H);
    for (let j = 0; j < H; j++) {
      let c = 0, m = -Infinity, am = 0;
      for (let k = 0; k < n; k++) { const a = h[k * H + j]; c += alpha[k] * a; if (a > m) { m = a; am = k; } }
      pooled[j] = c; pooled[H + j] = n ? m : 0; argmax[j] = am;
    }
    const logits: number[] = [];
    for (let c = 0; c < C; c++) {
      let acc = P.ub[c];
      for (let j = 0; j < 2 * H; j++) acc += P.U[c * 2 * H + j] * pooled[j];
      logits.push(acc);
    }
    return { n, h, alpha, pooled, argmax, p: softmax(logits) };
  }
  /** Adds the gradient of -log p[y] into G. */
  backward(inp: AttentionInput, fw: Forward, y: number, G: Params): void {
    const { H, D, C, P } = this;
    const X = EXTRA;
    const { n, h } = fw;
    const dpool = new Float64Array(2 * H);
    for (let c = 0; c < C; c++) {
      const dc = fw.p[c] - (c === y ? 1 : 0);
      G.ub[c] += dc;
      for (let j = 0; j < 2 * H; j++) { G.U[c * 2 * H + j] += dc * fw.pooled[j]; dpool[j] += P.U[c * 2 * H + j] * dc; }
    }
    if (!n) return;
    const dh = new Float64Array(n * H);
    const dalpha = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      for (let j = 0; j < H; j++) { dh[k * H + j] += fw.alpha[k] * dpool[j]; dalpha[k] += dpool[j] * h[k * H + j]; }
    }
    for (let j = 0; j < H; j++) dh[fw.argmax[j] * H + j] += dpool[H + j];
    let mean = 0;
    for (let k = 0; k < n; k++) mean += fw.alpha[k] * dalpha[k];
    const dT = new Float64Array(H);
    const dpre = new Float64Array(H);
    for (let k = 0; k < n; k++) {
      const ds = fw.alpha[k] * (dalpha[k] - mean);
      for (let j = 0; j < H; j++) {
        const a = h[k * H + j];
        G.v[j] += ds * a;
        dpre[j] = (dh[k * H + j] + ds * P.v[j]) * (1 - a * a);
        dT[j] += dpre[j];
      }
      for (let o = 0; o < 3; o++) {
        const q = k + o - 1;
        if (q < 0 || q >= n) continue;
        const v = this.vec(inp, q);
        const x = inp.ext[q];
        for (let j = 0; j < H; j++) {
          const g = dpre[j];
          if (g === 0) continue;
          if (v) { const base = j * 3 * D + o * D; for (let d = 0; d < D; d++) G.We[base + d] += g * v[d]; }
          for (let r = 0; r < X; r++) if (x[r] !== 0) G.Wx[(o * X + r) * H + j] += g * x[r];
        }
      }
    }
    for (let j = 0; j < H; j++) {
      G.b[j] += dT[j];
      for (let d = 0; d < D; d++) G.T[j * D + d] += dT[j] * inp.t[d];
    }
  }
}

const KEYS = ['We', 'Wx', 'T', 'b', 'v', 'U', 'ub'] as const;

export class AttentionNet {
  private net: Net;
  readonly classes: string[];
  constructor(json: AttentionNetJSON) {
    this.classes = json.classes;
    const P = Object.fromEntries(KEYS.map((k) => [k, Float64Array.from(json[k])])) as unknown as Params;
    this.net = new Net(json.dims, json.hidden, json.classes.length, P, true);
  }
  /** Class probabilities for inputs from `attentionInputs` (computed once for several nets). */
  probs(inp: AttentionInput): number[] {
    return this.net.forward(inp).p;
  }
}

export interface AttentionTrainOptions { hidden: number; epochs: number; lr: number; l2: number; seed: number }

export function trainAttention(
  data: Array<{ tk: Tokenised; s: number; e: number; lo: number; hi: number; y: string }>,
  classes: string[], res: LexicalResources, o: AttentionTrainOptions,
): AttentionNetJSON {
  const D = res.dims, H = o.hidden, C = classes.length, X = EXTRA;
  const r = rng(o.seed);
  const init = (n: number, fanIn: number) => Float64Array.from({ length: n }, () => (r() * 2 - 1) * Math.sqrt(3 / fanIn));
  const fanIn = 1.5 * (D + X);
  const P: Params = { We: init(H * 3 * D, fanIn), Wx: init(H * 3 * X, fanIn), T: init(H * D, D), b: new Float64Array(H), v: init(H, H), U: init(C * 2 * H, 2 * H), ub: new Float64Array(C) };
  const net = new Net(D, H, C, P, false);
  const inputs = data.map((d) => ({ inp: attentionInputs(d.tk, d.s, d.e, d.lo, d.hi, res), y: classes.indexOf(d.y) }));
  const zero = (): Params => Object.fromEntries(KEYS.map((k) => [k, new Float64Array(P[k].length)])) as unknown as Params;
  const m1 = zero(), m2 = zero();
  const B1 = 0.9, B2 = 0.999, EPS = 1e-8;
  let step = 0;
  const batch = 16;
  const order = inputs.map((_, i) => i);
  for (let ep = 0; ep < o.epochs; ep++) {
    shuffle(order, r);
    for (let start = 0; start < order.length; start += batch) {
      const G = zero();
      const idx = order.slice(start, start + batch);
      for (const i of idx) {
        const { inp, y } = inputs[i];
        net.backward(inp, net.forward(inp), y, G);
      }
      step++;
      const lrT = o.lr * Math.sqrt(1 - B2 ** step) / (1 - B1 ** step);
      for (const k of KEYS) {
        const p = P[k], g = G[k], a = m1[k], b2 = m2[k];
        for (let q = 0; q < p.length; q++) {
          const gq = g[q] / idx.length + o.l2 * p[q];
          a[q] = B1 * a[q] + (1 - B1) * gq;
          b2[q] = B2 * b2[q] + (1 - B2) * gq * gq;
          p[q] -= (lrT * a[q]) / (Math.sqrt(b2[q]) + EPS);
        }
      }
    }
  }
  const round = (x: Float64Array) => Array.from(x, (v) => Math.round(v * 1e5) / 1e5);
  return { kind: 'term-attention', classes, dims: D, hidden: H, We: round(P.We), Wx: round(P.Wx), T: round(P.T), b: round(P.b), v: round(P.v), U: round(P.U), ub: round(P.ub) };
}
