/**
 * Small linear models: multinomial logistic regression (AdaGrad + L2) and a
 * multi-class averaged perceptron. Features are sparse string -> value maps.
 * Models export to compact JSON (weights rounded, tiny weights pruned).
 */

import { seededRandom } from '../../../../lib/random.js';

export type Features = Map<string, number>;

export function addFeature(f: Features, name: string, value = 1): void {
  f.set(name, (f.get(name) ?? 0) + value);
}

const INDEXED_NAMES = new Map<string, string[]>();
/** The feature names prefix + 0 … prefix + (n - 1) of a dense vector, built once per prefix (their hashes are then computed once too). */
export function indexedNames(prefix: string, n: number): string[] {
  let names = INDEXED_NAMES.get(prefix);
  if (!names || names.length < n) { names = Array.from({ length: n }, (_, d) => prefix + d); INDEXED_NAMES.set(prefix, names); }
  return names;
}

/** Deterministic PRNG, shared with the rest of the project. */
export const rng = seededRandom;

export function shuffle<T>(arr: T[], rand: () => number): T[] {
  for (let i = arr.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [arr[i], arr[j]] = [arr[j], arr[i]];
  }
  return arr;
}

/** Serialised linear model: weights[feature] = per-class weights. */
export interface LinearModelJSON {
  classes: string[];
  bias: number[];
  weights: Record<string, number[]>;
}

export class LinearModel {
  readonly classes: string[];
  readonly bias: number[];
  /** Row of each feature in `matrix`, which holds the per-class weights row after row (one block of memory). */
  private readonly rows: Map<string, number>;
  private readonly matrix: Float64Array;
  constructor(json: LinearModelJSON) {
    this.classes = json.classes;
    this.bias = json.bias;
    const k = json.classes.length;
    const entries = Object.entries(json.weights);
    this.rows = new Map();
    this.matrix = new Float64Array(entries.length * k);
    entries.forEach(([name, w], row) => {
      this.rows.set(name, row);
      for (let c = 0; c < k; c++) this.matrix[row * k + c] = w[c] ?? 0;
    });
  }
  scores(f: Features): number[] {
    const k = this.classes.length;
    const s = this.bias.slice();
    const rows = this.rows, matrix = this.matrix;
    // forEach rather than for-of: no [name, value] pair is allocated per feature
    f.forEach((v, name) => {
      const row = rows.get(name);
      if (row === undefined) return;
      for (let c = 0, o = row * k; c < k; c++) s[c] += matrix[o + c]! * v;
    });
    return s;
  }
  /** Contribution of a single feature to each class. */
  contribution(name: string, v = 1): number[] | null {
    const row = this.rows.get(name);
    if (row === undefined) return null;
    const k = this.classes.length;
    const out = new Array<number>(k);
    for (let c = 0; c < k; c++) out[c] = this.matrix[row * k + c]! * v;
    return out;
  }
  probs(f: Features): number[] {
    return softmax(this.scores(f));
  }
  predict(f: Features): string {
    const s = this.scores(f);
    let best = 0;
    for (let c = 1; c < s.length; c++) if (s[c] > s[best]) best = c;
    return this.classes[best];
  }
}

export function logSoftmax(s: number[]): number[] {
  const m = Math.max(...s);
  const z = m + Math.log(s.reduce((acc, v) => acc + Math.exp(v - m), 0));
  return s.map((v) => v - z);
}

export function softmax(s: number[]): number[] {
  const m = Math.max(...s);
  const e = s.map((x) => Math.exp(x - m));
  const z = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / z);
}

export interface LogRegOptions {
  epochs?: number;
  l2?: number;
  lr?: number;
  seed?: number;
  prune?: number;
  minCount?: number; // drop features seen fewer times in training
  classWeights?: Record<string, number>;
}

/** Train multinomial logistic regression with AdaGrad. */
export function trainLogReg(data: Array<{ f: Features; y: string; w?: number }>, classes: string[], opts: LogRegOptions = {}): LinearModelJSON {
  const epochs = opts.epochs ?? 15;
  const l2 = opts.l2 ?? 1e-4;
  const lr = opts.lr ?? 0.2;
  const minCount = opts.minCount ?? 1;
  const k = classes.length;
  const counts = new Map<string, number>();
  for (const d of data) for (const name of d.f.keys()) counts.set(name, (counts.get(name) ?? 0) + 1);
  const index = new Map<string, number>();
  for (const [name, c] of counts) if (c >= minCount) index.set(name, index.size);
  const nf = index.size;
  const W = new Float64Array(nf * k);
  const G = new Float64Array(nf * k).fill(1e-8);
  const B = new Float64Array(k);
  const GB = new Float64Array(k).fill(1e-8);
  const rows = data.map((d) => {
    const idx: number[] = [];
    const val: number[] = [];
    for (const [name, v] of d.f) {
      const i = index.get(name);
      if (i !== undefined && v !== 0) { idx.push(i); val.push(v); }
    }
    return { idx, val, y: classes.indexOf(d.y), w: (d.w ?? 1) * (opts.classWeights?.[d.y] ?? 1) };
  });
  const rand = rng(opts.seed ?? 7);
  const order = rows.map((_, i) => i);
  const s = new Float64Array(k);
  const lazyScale = l2; // applied per touched feature (sparse approximation)
  for (let ep = 0; ep < epochs; ep++) {
    shuffle(order, rand);
    for (const r of order) {
      const row = rows[r];
      for (let c = 0; c < k; c++) s[c] = B[c];
      for (let j = 0; j < row.idx.length; j++) {
        const base = row.idx[j] * k;
        for (let c = 0; c < k; c++) s[c] += W[base + c] * row.val[j];
      }
      let m = -Infinity;
      for (let c = 0; c < k; c++) if (s[c] > m) m = s[c];
      let z = 0;
      for (let c = 0; c < k; c++) { s[c] = Math.exp(s[c] - m); z += s[c]; }
      for (let c = 0; c < k; c++) {
        const g = (s[c] / z - (c === row.y ? 1 : 0)) * row.w;
        GB[c] += g * g;
        B[c] -= (lr * g) / Math.sqrt(GB[c]);
        for (let j = 0; j < row.idx.length; j++) {
          const p = row.idx[j] * k + c;
          const gw = g * row.val[j] + lazyScale * W[p];
          G[p] += gw * gw;
          W[p] -= (lr * gw) / Math.sqrt(G[p]);
        }
      }
    }
  }
  return exportModel(classes, Array.from(B), index, W, k, opts.prune ?? 1e-3);
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}

function exportModel(classes: string[], bias: number[], index: Map<string, number>, W: Float64Array, k: number, prune: number): LinearModelJSON {
  const weights: Record<string, number[]> = {};
  for (const [name, i] of index) {
    const w: number[] = [];
    let keep = false;
    for (let c = 0; c < k; c++) {
      const v = W[i * k + c];
      if (Math.abs(v) >= prune) keep = true;
      w.push(round(v));
    }
    if (keep) weights[name] = w;
  }
  return { classes, bias: bias.map(round), weights };
}

/**
 * Multi-class averaged perceptron, trained incrementally (used by the greedy
 * sequence tagger, where features depend on earlier predictions).
 */
export class AveragedPerceptron {
  readonly classes: string[];
  private w = new Map<string, Float64Array>();
  private acc = new Map<string, Float64Array>();
  private stamp = new Map<string, Float64Array>();
  private t = 0;
  constructor(classes: string[]) {
    this.classes = classes;
  }
  scores(f: Features): number[] {
    const k = this.classes.length;
    const s = new Array<number>(k).fill(0);
    for (const [name, v] of f) {
      const w = this.w.get(name);
      if (!w) continue;
      for (let c = 0; c < k; c++) s[c] += w[c] * v;
    }
    return s;
  }
  best(f: Features, allowed?: (c: number) => boolean): number {
    const s = this.scores(f);
    let b = -1;
    for (let c = 0; c < s.length; c++) if ((!allowed || allowed(c)) && (b < 0 || s[c] > s[b])) b = c;
    return b;
  }
  tick(): void {
    this.t++;
  }
  update(f: Features, truth: number, guess: number): void {
    if (truth === guess) return;
    const k = this.classes.length;
    for (const [name, v] of f) {
      let w = this.w.get(name);
      if (!w) {
        w = new Float64Array(k); this.w.set(name, w);
        this.acc.set(name, new Float64Array(k)); this.stamp.set(name, new Float64Array(k));
      }
      const a = this.acc.get(name)!;
      const st = this.stamp.get(name)!;
      for (const [c, d] of [[truth, v], [guess, -v]] as Array<[number, number]>) {
        a[c] += (this.t - st[c]) * w[c];
        st[c] = this.t;
        w[c] += d;
      }
    }
  }
  /** Averaged weights as a serialisable model. */
  finish(prune = 1e-3): LinearModelJSON {
    const k = this.classes.length;
    const weights: Record<string, number[]> = {};
    for (const [name, w] of this.w) {
      const a = this.acc.get(name)!;
      const st = this.stamp.get(name)!;
      const out: number[] = [];
      let keep = false;
      for (let c = 0; c < k; c++) {
        const total = a[c] + (this.t - st[c]) * w[c];
        const avg = total / Math.max(1, this.t);
        if (Math.abs(avg) >= prune) keep = true;
        out.push(round(avg));
      }
      if (keep) weights[name] = out;
    }
    return { classes: this.classes, bias: new Array(k).fill(0), weights };
  }
}

/** Average of linear models over the same classes (an ensemble that costs nothing at run time). */
export function averageModels(models: LinearModelJSON[], prune = 0): LinearModelJSON {
  const k = models[0].classes.length;
  const n = models.length;
  const weights: Record<string, number[]> = {};
  for (const m of models) for (const [name, w] of Object.entries(m.weights)) {
    const acc = (weights[name] ??= new Array<number>(k).fill(0));
    for (let c = 0; c < k; c++) acc[c] += w[c] / n;
  }
  for (const [name, w] of Object.entries(weights)) {
    if (w.every((x) => Math.abs(x) < prune)) delete weights[name];
    else weights[name] = w.map(round);
  }
  const bias = models[0].bias.map((_, c) => round(models.reduce((a, m) => a + m.bias[c], 0) / n));
  return { classes: models[0].classes, bias, weights };
}
