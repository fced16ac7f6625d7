/**
 * Hyper-parameters shared by training and cross-validation (keep them in one place). Bags and epochs are set
 * low enough that eval:nlp can retrain everything for each fold of two fold seeds on two shared cores.
 */
export const TRAINING_CONFIG = {
  lexical: { topN: 40000, dims: 32, k: [64, 320] },
  sentiment: { epochs: 12, l2: 3e-4, seed: 7, bag: 5 },
  // the star-rated reviews' weak labels: their weight, and the learned word weight that is opinion evidence for the
  // fact rule (sentiment.ts learnedCue), chosen among these by inner folds of the training corpus (pipeline.ts); the cue
  // weights start at 0.3, the lexicon cue's floor: below it "use", "arrived" would be opinions and no plain fact stays neutral
  selection: { starWeights: [0.3, 1], learnedCues: [0.3, 0.5, 0.7, 1, Infinity], innerFolds: 3, seed: 5 },
  domain: { epochs: 8, l2: 1e-4, minProb: 0.6, seed: 3 },
  // prune: features whose averaged weights all stay below it are dropped (halves tagger.json and its look-ups; no change in CV F1)
  // taxonomy: the category's taxonomy matches are tagger features (learned weight) rather than all added to its terms
  tagger: { epochs: 8, seed: 3, prune: 1, taxonomy: true },
  // few epochs at a low rate act as strong regularisation (best under cross-validation, fold seeds 42 and 7)
  // stack: first-stage model whose out-of-fold probabilities for the other terms of a sentence are features of the final model
  // clause: in-domain 3-class clause model whose margins are polarity features (out-of-fold over innerFolds for training)
  // sequence: a term-attention network per domain (attention.ts) blended log-linearly with the linear model at `weight`
  polarity: { epochs: 5, lr: 0.03, l2: 3e-4, seed: 5, bag: 4, stack: { innerFolds: 4, seed: 11, bag: 1 }, clause: { epochs: 12, l2: 3e-4, lr: 0.15, bag: 1, innerFolds: 4, seed: 7, minCount: 1, bigramMinCount: 2, prune: 5e-3 }, sequence: { weight: 0.3, hidden: 32, epochs: 5, lr: 0.003, l2: 1e-5, seed: 3 } },
} as const;
