/**
 * The raw engine of one work tree, in a process of its own that run.ts drives over IPC, so the engines of two
 * trees stay loaded side by side and their rounds can be interleaved.
 * Loads `<tree>/subgraphs/analysis/src/nlp/index.ts` and times it as a worker starts: module import + model
 * load (createAnalyzer), then the tree's own warm-up (warm-up.ts, as worker.ts runs it) when it has one.
 * Usage (by run.ts, forked): engine-rate.ts <tree> <texts.json>
 * Messages in: { cmd: 'warm', ms } | { cmd: 'round' } | { cmd: 'outputs', cases }; out: one reply per message
 * (a round answers its rate by the clock and by the CPU time the process used: reviews per CPU second).
 */
import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

type Engine = typeof import('../../subgraphs/analysis/src/nlp/index.js');
type WarmUp = typeof import('../../subgraphs/analysis/src/nlp/warm-up.js');

export interface OutputCase { text: string; category: string | null; locale: string | null }
export type EngineRequest = { cmd: 'warm'; ms: number } | { cmd: 'round' } | { cmd: 'outputs'; cases: OutputCase[] };
export interface EngineReady { ready: true; importMs: number; loadMs: number; warmUpMs: number | null; modelVersion: string }

const [tree, textsFile] = process.argv.slice(2);
if (!tree || !textsFile || !process.send) throw new Error('usage (forked by run.ts): engine-rate.ts <tree> <texts.json>');
const texts = JSON.parse(readFileSync(textsFile, 'utf8')) as string[];
const opts = { category: 'sport-watch', locale: 'en-US' };
const nlpDir = resolve(tree, 'subgraphs/analysis/src/nlp');

const started = performance.now();
const engine = (await import(pathToFileURL(resolve(nlpDir, 'index.ts')).href)) as Engine;
const imported = performance.now();
const analyzer = await engine.createAnalyzer();
const loaded = performance.now();
let warmUpMs: number | null = null;
if (existsSync(resolve(nlpDir, 'warm-up.ts'))) {
  const { warmUp } = (await import(pathToFileURL(resolve(nlpDir, 'warm-up.ts')).href)) as WarmUp;
  warmUp(analyzer);
  warmUpMs = performance.now() - loaded;
}
const ready: EngineReady = { ready: true, importMs: imported - started, loadMs: loaded - imported, warmUpMs, modelVersion: analyzer.modelVersion };
process.send(ready);

let next = 0;
process.on('message', (msg: EngineRequest) => {
  if (msg.cmd === 'warm') {
    const until = performance.now() + msg.ms;
    let runs = 0;
    while (performance.now() < until) { analyzer.analyze(texts[next++ % texts.length]!, opts); runs++; }
    process.send!({ runs });
  } else if (msg.cmd === 'round') {
    const t = performance.now();
    const cpu = process.cpuUsage();
    for (const text of texts) analyzer.analyze(text, opts);
    const used = process.cpuUsage(cpu);
    process.send!({ rate: texts.length / ((performance.now() - t) / 1000), cpuRate: texts.length / ((used.user + used.system) / 1e6) });
  } else if (msg.cmd === 'outputs') {
    process.send!({ outputs: msg.cases.map((c) => analyzer.analyze(c.text, { category: c.category, locale: c.locale })) });
  }
});
process.on('disconnect', () => process.exit(0));
