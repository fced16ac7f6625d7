import { PRODUCT_POLARITY } from './lexicon.js';
/** Compact lexical resources shipped with the model: word vectors (int8) and word clusters. */
export interface LexicalResourcesJSON {
  source: string;
  vocab: string[];
  dims: number;
  scale: number;
  vectors: string; // base64 Int8Array, vocab.length * dims
  clusters: number[][]; // one array per clustering granularity, indexed like vocab
  prior: number[]; // polarity prior per word, x100 (seed lexicon extended by ridge regression)
}

export class LexicalResources {
  readonly dims: number;
  private index = new Map<string, number>();
  private vec: Float32Array;
  private clusters: number[][];
  /** Polarity prior of every word that has one: the learned prior, overridden by PRODUCT_POLARITY (one look-up a word). */
  private priors = new Map<string, number>();
  private clusterWord: string | null = null;
  private clusterRow: number | undefined;
  constructor(json: LexicalResourcesJSON) {
    this.dims = json.dims;
    const prior = json.prior ?? [];
    json.vocab.forEach((w, i) => { this.index.set(w, i); this.priors.set(w, (prior[i] ?? 0) / 100); });
    for (const [w, p] of Object.entries(PRODUCT_POLARITY)) this.priors.set(w, p);
    const buf = Buffer.from(json.vectors, 'base64');
    const q = new Int8Array(buf.buffer, buf.byteOffset, buf.length);
    this.vec = new Float32Array(q.length);
    for (let i = 0; i < q.length; i++) this.vec[i] = q[i] * json.scale;
    this.clusters = json.clusters;
  }
  /** Polarity prior of a word in [-1, 1]; 0 when unknown. */
  polarity(w: string): number {
    return this.priors.get(w) ?? 0;
  }
  has(w: string): boolean {
    return this.index.has(w);
  }
  /** Adds the vector of `w` times `weight` into `acc`; returns false for unknown words. */
  addVector(w: string, acc: Float64Array, weight = 1): boolean {
    const i = this.index.get(w);
    if (i === undefined) return false;
    const base = i * this.dims;
    for (let d = 0; d < this.dims; d++) acc[d] += this.vec[base + d] * weight;
    return true;
  }
  cluster(w: string, level: number): number {
    // the tagger asks for both granularities of a word one after the other: look its row up once
    if (w !== this.clusterWord) { this.clusterWord = w; this.clusterRow = this.index.get(w); }
    const i = this.clusterRow;
    return i === undefined ? -1 : this.clusters[level]?.[i] ?? -1;
  }
}
