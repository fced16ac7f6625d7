/**
 * The raw engine rate of one work tree, in a process of its own: loads `<tree>/subgraphs/analysis/src/nlp/index.ts`,
 * times the model load, warms up on the first 200 texts, then analyses all of them once per round.
 * Usage (by run.ts): tsx bench/analysis/engine-rate.ts <tree> <texts.json> <rounds>
 * Prints one JSON line: { loadMs, rates: [reviews/s per round], modelVersion }.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [tree, textsFile, roundsArg] = process.argv.slice(2);
if (!tree || !textsFile) throw new Error('usage: engine-rate.ts <tree> <texts.json> <rounds>');
const texts = JSON.parse(readFileSync(textsFile, 'utf8')) as string[];
const started = performance.now();
const engine = (await import(pathToFileURL(resolve(tree, 'subgraphs/analysis/src/nlp/index.ts')).href)) as typeof import('../../subgraphs/analysis/src/nlp/index.js');
const analyzer = await engine.createAnalyzer();
const loadMs = performance.now() - started;
for (const text of texts.slice(0, 200)) analyzer.analyze(text, { category: 'sport-watch', locale: 'en-US' });
const rates: number[] = [];
for (let r = 0; r < Number(roundsArg ?? 1); r++) {
  const t = performance.now();
  for (const text of texts) analyzer.analyze(text, { category: 'sport-watch', locale: 'en-US' });
  rates.push(texts.length / ((performance.now() - t) / 1000));
}
process.stdout.write(JSON.stringify({ loadMs, rates, modelVersion: analyzer.modelVersion }) + '\n');
