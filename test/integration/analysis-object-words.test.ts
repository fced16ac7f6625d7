import { beforeAll, describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../subgraphs/analysis/src/nlp/index.js';
import { createServer } from '../../subgraphs/analysis/src/server.js';
import { caller, freshDatabase, silentLog, TEST_SECRET } from '../support/fixtures.js';

// Words that are also names on Object.prototype: the engine's word tables once answered them from there.
const OBJECT_WORDS = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__', 'isPrototypeOf'];
const ANALYZE = `query($t: String!) { analyzeText(text: $t, category: "sport-watch", locale: "en-US") {
  status sentiment { label score } aspects { term aspect polarity score span { start end text } }
} }`;

type Server = Awaited<ReturnType<typeof createServer>>;
let server: Server;

async function analyzeText(text: string) {
  const response = await server.apollo.executeOperation({ query: ANALYZE, variables: { t: text } }, { contextValue: server.contextFor(caller()) });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult as { data?: { analyzeText: any }; errors?: Array<{ message: string }> };
}

beforeAll(async () => {
  server = await createServer({ database: await freshDatabase('analysis_object_words'), analyzer: await createAnalyzer(), log: silentLog, internalSecret: TEST_SECRET });
});

describe('analyzeText on words that name properties of every JavaScript object', () => {
  it('analyses them as words: a clear opinion keeps its label and every score is a number', async () => {
    for (const word of OBJECT_WORDS) {
      for (const text of [`The ${word} on this watch is great and the battery lasts all week.`, `Terrible watch, the ${word} broke and the battery died in a day.`]) {
        const r = await analyzeText(text);
        expect(r.errors, `${text}: ${r.errors?.[0]?.message}`).toBeUndefined();
        const a = r.data!.analyzeText;
        expect(a.status).toBe('DONE');
        expect(a.sentiment.label, text).toBe(text.startsWith('Terrible') ? 'NEGATIVE' : 'POSITIVE');
        for (const x of a.aspects) {
          expect(Number.isFinite(x.score), `${text}: ${x.term}`).toBe(true);
          // an aspect found on the word is named by it, not by what Object.prototype holds under that name
          if (x.term.toLowerCase() === word.toLowerCase()) expect(x.aspect).toBe(word.toLowerCase());
        }
        expect(a.aspects.map((x: { term: string }) => x.term)).toContain('battery');
      }
    }
  });

  it('leaves "&constructor;" in the text as written, so spans after it still point at their words', async () => {
    const text = 'Great watch &constructor; and the battery lasts all week.';
    const r = await analyzeText(text);
    expect(r.errors).toBeUndefined();
    const battery = r.data!.analyzeText.aspects.find((x: { term: string }) => x.term === 'battery');
    expect(battery.span).toEqual({ start: text.indexOf('battery'), end: text.indexOf('battery') + 7, text: 'battery' });
  });
});
