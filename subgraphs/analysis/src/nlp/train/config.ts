/** Hyper-parameters shared by training and cross-validation (keep them in one place). */
export const TRAINING_CONFIG = {
  lexical: { topN: 30000, dims: 32, k: [64, 320] },
  sentiment: { epochs: 12, l2: 3e-4, seed: 7, bag: 5 },
  tagger: { epochs: 12, seed: 3 },
  // few epochs at a low rate act as strong regularisation (best under cross-validation)
  polarity: { epochs: 3, lr: 0.05, l2: 3e-4, seed: 5, bag: 5 },
} as const;
