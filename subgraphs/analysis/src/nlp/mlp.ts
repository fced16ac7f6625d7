/**
 * A tiny multi-layer perceptron (one tanh hidden layer, softmax output) over a
 * short dense feature vector, trained with mini-batch SGD + momentum, L2 and
 * early stopping on a held-out part of the training data. A few hundred
 * weights: negligible size and run time.
 */
import { rng, shuffle, softmax } from './linear.js';

export interface MlpJSON {
  classes: string[];
  inputs: string[]; // names of the dense inputs, in order
  mean: number[]; // input standardisation
  scale: number[];
  w1: number[][]; // hidden x inputs
  b1: number[];
  w2: number[][]; // classes x hidden
  b2: number[];
}

export interface MlpOptions { hidden?: number; epochs?: number; lr?: number; l2?: number; momentum?: number; batch?: number; holdout?: number; patience?: number; seed?: number }

const r4 = (x: number) => Math.round(x * 1e4) / 1e4;

export class Mlp {
  constructor(readonly json: MlpJSON) {}
  probs(x: number[]): number[] {
    const { mean, scale, w1, b1, w2, b2 } = this.json;
    const z = x.map((v, i) => (v - mean[i]) * scale[i]);
    const h = w1.map((row, j) => Math.tanh(row.reduce((a, w, i) => a + w * z[i], b1[j])));
    return softmax(w2.map((row, c) => row.reduce((a, w, j) => a + w * h[j], b2[c])));
  }
}

/** Train on rows (x, y); a fraction `holdout` of rows picks the stopping epoch. */
export function trainMlp(rows: Array<{ x: number[]; y: string }>, classes: string[], inputs: string[], opts: MlpOptions = {}): MlpJSON {
  const H = opts.hidden ?? 16, E = opts.epochs ?? 200, lr = opts.lr ?? 0.02, l2 = opts.l2 ?? 1e-3, mom = opts.momentum ?? 0.9;
  const B = opts.batch ?? 32, patience = opts.patience ?? 15;
  const rand = rng(opts.seed ?? 11);
  const D = inputs.length, K = classes.length;
  const mean = new Array<number>(D).fill(0), scale = new Array<number>(D).fill(0);
  for (const r of rows) r.x.forEach((v, i) => (mean[i] += v / rows.length));
  for (const r of rows) r.x.forEach((v, i) => (scale[i] += (v - mean[i]) ** 2 / rows.length));
  for (let i = 0; i < D; i++) scale[i] = scale[i] > 1e-12 ? 1 / Math.sqrt(scale[i]) : 0;
  const data = rows.map((r) => ({ z: r.x.map((v, i) => (v - mean[i]) * scale[i]), y: classes.indexOf(r.y) }));
  shuffle(data, rand);
  const nHold = Math.round(data.length * (opts.holdout ?? 0.15));
  const hold = data.slice(0, nHold), train = data.slice(nHold);
  const gauss = () => (rand() + rand() + rand() - 1.5) * 0.8;
  const w1 = Array.from({ length: H }, () => Array.from({ length: D }, () => gauss() / Math.sqrt(D)));
  const b1 = new Array<number>(H).fill(0);
  const w2 = Array.from({ length: K }, () => Array.from({ length: H }, () => gauss() / Math.sqrt(H)));
  const b2 = new Array<number>(K).fill(0);
  const v1 = w1.map((r) => r.map(() => 0)), vb1 = b1.map(() => 0), v2 = w2.map((r) => r.map(() => 0)), vb2 = b2.map(() => 0);
  const g1 = w1.map((r) => r.map(() => 0)), gb1 = b1.map(() => 0), g2 = w2.map((r) => r.map(() => 0)), gb2 = b2.map(() => 0);
  const h = new Array<number>(H).fill(0);
  const forward = (z: number[]) => {
    for (let j = 0; j < H; j++) { let a = b1[j]; const row = w1[j]; for (let i = 0; i < D; i++) a += row[i] * z[i]; h[j] = Math.tanh(a); }
    return softmax(w2.map((row, c) => { let a = b2[c]; for (let j = 0; j < H; j++) a += row[j] * h[j]; return a; }));
  };
  const holdLoss = () => hold.reduce((a, d) => a - Math.log(Math.max(1e-9, forward(d.z)[d.y])), 0) / Math.max(1, hold.length);
  let best = Infinity, bestSnap: MlpJSON | null = null, since = 0;
  const snap = (): MlpJSON => ({ classes, inputs, mean: mean.map(r4), scale: scale.map(r4), w1: w1.map((r) => r.map(r4)), b1: b1.map(r4), w2: w2.map((r) => r.map(r4)), b2: b2.map(r4) });
  for (let ep = 0; ep < E; ep++) {
    shuffle(train, rand);
    for (let s = 0; s < train.length; s += B) {
      const batch = train.slice(s, s + B);
      for (const g of [g1, g2]) for (const r of g) r.fill(0);
      gb1.fill(0); gb2.fill(0);
      for (const d of batch) {
        const p = forward(d.z);
        const dh = new Array<number>(H).fill(0);
        for (let c = 0; c < K; c++) {
          const go = p[c] - (c === d.y ? 1 : 0);
          gb2[c] += go;
          for (let j = 0; j < H; j++) { g2[c][j] += go * h[j]; dh[j] += go * w2[c][j]; }
        }
        for (let j = 0; j < H; j++) {
          const da = dh[j] * (1 - h[j] * h[j]);
          gb1[j] += da;
          for (let i = 0; i < D; i++) g1[j][i] += da * d.z[i];
        }
      }
      const n = batch.length;
      const step = (w: number[][], g: number[][], v: number[][]) => { for (let a = 0; a < w.length; a++) for (let b = 0; b < w[a].length; b++) { v[a][b] = mom * v[a][b] - lr * (g[a][b] / n + l2 * w[a][b]); w[a][b] += v[a][b]; } };
      const stepB = (w: number[], g: number[], v: number[]) => { for (let a = 0; a < w.length; a++) { v[a] = mom * v[a] - lr * (g[a] / n); w[a] += v[a]; } };
      step(w1, g1, v1); step(w2, g2, v2); stepB(b1, gb1, vb1); stepB(b2, gb2, vb2);
    }
    const L = holdLoss();
    if (L < best - 1e-4) { best = L; bestSnap = snap(); since = 0; } else if (++since >= patience) break;
  }
  return bestSnap ?? snap();
}
