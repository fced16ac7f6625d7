/**
 * Intake rates on one server, in one run: `submitReviews` through the gateway of a running stack
 * (batches of 500, from 1 and from 4 concurrent clients; every review validated, stored with its
 * list entries, its event acknowledged by JetStream) against the baseline of the driver's raw
 * `insertMany` of the same review documents, in batches of 500, into another database of the same
 * server, from as many clients. Raw and intake runs alternate (raw 1, intake 1, raw 4, intake 4) so a
 * machine whose speed drifts affects both sides alike; after each intake run it waits for the stack's
 * consumers to finish the events it queued (the applications process counts them as they arrive, on
 * the same cores; no analysis worker runs). It also counts the database commands per intake batch
 * (`serverStatus` counters, which include what the applications consumer sent meanwhile). Last, it
 * imports a JSONL file of generated reviews with `npm run import` (scripts/import.ts, through the
 * gateway) at a tenth of `--reviews` and at all of them, with the importer's rows/s and peak RSS.
 * Usage: npm run bench:ingest -- [--reviews 200000] [--clients 1,4] [--products 200]
 * (each of the runs writes `--reviews` fresh reviews; `--reviews 20000` is a quick run of a few minutes)
 */
import { parseArgs } from 'node:util';
import { benchInfra } from '../infra.js';
import { compareIntake, INTAKE_BATCH, intakeTable } from '../support/intake.js';

const { values } = parseArgs({
  options: {
    reviews: { type: 'string', default: '200000' },
    clients: { type: 'string', default: '1,4' },
    products: { type: 'string', default: '200' },
  },
});
const count = Number(values.reviews);
const clientCounts = values.clients.split(',').map(Number);
const products = Number(values.products);
if (!Number.isInteger(count) || count < INTAKE_BATCH) throw new Error(`--reviews must be a whole number ≥ ${INTAKE_BATCH}`);
if (clientCounts.some((c) => !Number.isInteger(c) || c < 1)) throw new Error('--clients must be whole numbers ≥ 1, e.g. 1,4');
if (!Number.isInteger(products) || products < 1) throw new Error('--products must be a whole number ≥ 1');

const infra = await benchInfra();
// the importer's memory at a tenth of the rows and at all of them: flat memory means the same peak
const importRows = [Math.max(INTAKE_BATCH, Math.round(count / 10)), count];
let result;
try {
  result = await compareIntake(infra, { count, clientCounts, products, importRows });
} finally {
  await infra.close();
}

process.stdout.write(`\n\`npm run bench:ingest -- --reviews ${count} --clients ${clientCounts.join(',')} --products ${products}\` (${count.toLocaleString('en')} reviews per run, batches of ${INTAKE_BATCH}, ${products} products)\n\n`);
process.stdout.write(`${intakeTable(result.rows, result.imports)}\n`);
const [small, large] = result.imports;
if (small && large) process.stdout.write(`\nimporter peak RSS: ${(small.peakRssBytes / 2 ** 20).toFixed(0)} MiB at ${small.rows.toLocaleString('en')} rows, ${(large.peakRssBytes / 2 ** 20).toFixed(0)} MiB at ${large.rows.toLocaleString('en')} (${(large.peakRssBytes / small.peakRssBytes).toFixed(2)} ×)\n`);
process.stdout.write('\n| clients | database commands per submitReviews batch of 500 (the applications consumer\'s included) |\n|---|---|\n');
for (const row of result.rows) process.stdout.write(`| ${row.clients} | ${Object.entries(row.commandsPerBatch).map(([name, n]) => `${name} ${n.toFixed(1)}`).join(', ')} |\n`);
