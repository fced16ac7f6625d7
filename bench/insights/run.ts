/**
 * Insights, in one run: (a) the applications insights consumer's events/s with everything it
 * maintains against the bus alone, on the same events; (b) the product page's insights read
 * through the gateway at each store size (ratios against the smallest); (c) the event-to-insight
 * freshness lag at a steady ingest. See bench/README.md for what each part does.
 * Usage: npm run bench:insights -- [--reviews 3000] [--products 6] [--sizes 1000,200000] [--requests 200]
 *        [--rate 100] [--lag-seconds 30] [--lag-products 10] [--intake] [--only-consumer]
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createLogger } from '../../lib/logger.js';
import { benchInfra } from '../infra.js';
import { consumerRates } from './consumer-rate.js';
import { freshness } from './freshness.js';
import { latency, pageVariables, readPage } from './product-page.js';
import { ProductStore, TARGET_REVIEWS, TARGET_SKU } from './product-store.js';

const { values } = parseArgs({
  options: {
    reviews: { type: 'string', default: '3000' },
    products: { type: 'string', default: '6' },
    sizes: { type: 'string', default: '1000,200000' },
    requests: { type: 'string', default: '200' },
    rate: { type: 'string', default: '100' },
    'lag-seconds': { type: 'string', default: '30' },
    'lag-products': { type: 'string', default: '10' },
    intake: { type: 'boolean', default: false },
    'only-consumer': { type: 'boolean', default: false },
  },
});
const whole = (name: string, min: number) => {
  const n = Number(values[name as keyof typeof values]);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number ≥ ${min}`);
  return n;
};
const reviews = whole('reviews', 100);
const products = whole('products', 1);
const requests = whole('requests', 20);
const rate = whole('rate', 1);
const lagSeconds = whole('lag-seconds', 5);
const lagProducts = whole('lag-products', 1);
const sizes = values.sizes.split(',').map(Number);
const intake = values.intake;
const onlyConsumer = values['only-consumer'];
if (products > reviews) throw new Error('--products must not exceed --reviews');
if (sizes.length < 2 || sizes.some((s, i) => !Number.isInteger(s) || s < TARGET_REVIEWS || (i > 0 && s <= sizes[i - 1]!))) throw new Error(`--sizes must be two or more increasing whole numbers ≥ ${TARGET_REVIEWS}`);

const log = createLogger('bench', 'warn');
const say = (line: string) => process.stdout.write(`  ${line}\n`);
// The machine is shared: the 1-minute load average, sampled every 10 s, goes with the table.
const loads: number[] = [loadavg()[0]!];
const sampler = setInterval(() => loads.push(loadavg()[0]!), 10_000);
const infra = await benchInfra();
const rows: Array<[string, string, string, string]> = [];
try {
  process.stdout.write(`insights benchmark: (a) ${reviews.toLocaleString('en')} reviews (${(reviews * (intake ? 1 : 2)).toLocaleString('en')} events${intake ? ', submissions only, written before the alert windows' : ''}) over ${products} products${onlyConsumer ? '' : `; (b) stores of ${sizes.map((s) => s.toLocaleString('en')).join(', ')} reviews; (c) ${rate} reviews/s for ${lagSeconds} s`}\n`);
  const rates = await consumerRates(infra, { reviews, products, log, intake });
  const cost = (c: typeof rates.busCost) => `${c.cpuMsPerEvent.toFixed(2)} ms of CPU and ${c.commandsPerEvent.toFixed(3)} database commands per event (${Object.entries(c.commands).map(([name, n]) => `${n} ${name}`).join(', ') || 'none'})`;
  say(`(a) bus alone ${rates.bus.toFixed(0)} events/s, ${cost(rates.busCost)}; insights consumer ${rates.insights.toFixed(0)} events/s, ${cost(rates.insightsCost)}; ${rates.alertsRaised} alerts raised`);
  rows.push(['(a) bus alone, handler does nothing', `${rates.bus.toFixed(0)} events/s`, '1.00 (baseline)', cost(rates.busCost)]);
  rows.push([intake ? '(a) insights consumer, intake events (review.submitted only)' : '(a) insights consumer (states, insights with aspects, quotes, locales, daily buckets, alerts)', `${rates.insights.toFixed(0)} events/s`, `${(rates.insights / rates.bus).toFixed(3)} of the bus`, `${rates.alertsRaised} alerts raised; ${cost(rates.insightsCost)}`]);

  if (!onlyConsumer) await productPageAndFreshness();
} finally {
  await infra.close();
  clearInterval(sampler);
  printTable();
}

/** Parts (b) and (c). */
async function productPageAndFreshness() {
  const store = await ProductStore.start(infra, log);
  try {
    const variables = pageVariables(TARGET_SKU, store.now);
    const pages: Array<{ size: number; p50: number; p99: number }> = [];
    let lag: Awaited<ReturnType<typeof freshness>> | undefined;
    for (const [i, size] of sizes.entries()) {
      const started = performance.now();
      const before = store.size;
      await store.growTo(size, say);
      const seconds = (performance.now() - started) / 1000;
      say(`store: ${(store.size - before).toLocaleString('en')} reviews (${((store.size - before) * 2).toLocaleString('en')} events) stored, published and applied in ${seconds.toFixed(0)} s: ${(((store.size - before) * 2) / seconds).toFixed(0)} events/s`);
      const answer = await readPage(store.stack, variables);
      say(`page at ${store.size.toLocaleString('en')} reviews: ${answer.reviewCount} reviews, ${answer.pros} pros and ${answer.cons} cons with ${answer.quotes} quotes, ${answer.buckets} daily buckets, summary ${answer.sufficient ? 'sufficient' : 'insufficient'}`);
      if (answer.reviewCount !== TARGET_REVIEWS || answer.buckets !== 90 || answer.quotes === 0) throw new Error('the product page does not show the product it was given');
      const { p50, p99 } = await latency(() => readPage(store.stack, variables), requests);
      pages.push({ size: store.size, p50, p99 });
      say(`page at ${store.size.toLocaleString('en')} reviews: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`);
      if (i === 0) {
        lag = await freshness(store, { rate, seconds: lagSeconds, products: lagProducts });
        say(`(c) ${lag.reviews} reviews at ${lag.rate.toFixed(1)} reviews/s: lag p50 ${lag.p50} ms, p99 ${lag.p99} ms, max ${lag.max} ms; from the publish's acknowledgement p50 ${lag.fromAckP50} ms, p99 ${lag.fromAckP99} ms`);
      }
    }
    const deadLetters = await store.deadLetters();
    const [base] = pages;
    for (const page of pages) {
      rows.push([`(b) product page through the gateway, ${page.size.toLocaleString('en')} reviews in the store`, `p50 ${page.p50.toFixed(1)} ms, p99 ${page.p99.toFixed(1)} ms`, page === base ? '1.00 (baseline)' : `p50 ${(page.p50 / base!.p50).toFixed(2)} ×, p99 ${(page.p99 / base!.p99).toFixed(2)} ×`, page === base ? '' : `target ≤ 1.2 ×: ${page.p50 / base!.p50 <= 1.2 ? 'met' : 'missed'} (p50)`]);
    }
    rows.push([`(c) freshness at ${lag!.rate.toFixed(1)} reviews/s (${lag!.reviews} reviews over ${lagProducts} products)`, `p50 ${lag!.p50} ms, p99 ${lag!.p99} ms`, `max ${lag!.max} ms; from the publish's ack: p50 ${lag!.fromAckP50} ms, p99 ${lag!.fromAckP99} ms`, `target p99 ≤ 2,000 ms: ${lag!.p99 <= 2_000 ? 'met' : 'missed'}`]);
    if (deadLetters > 0) throw new Error(`${deadLetters} events dead-lettered by the applications consumer`);
  } finally {
    await store.stop();
  }
}

function printTable() {
  const parts = onlyConsumer ? ' --only-consumer' : ` --sizes ${sizes.join(',')} --requests ${requests} --rate ${rate} --lag-seconds ${lagSeconds} --lag-products ${lagProducts}`;
  process.stdout.write(`\n\`npm run bench:insights -- --reviews ${reviews} --products ${products}${intake ? ' --intake' : ''}${parts}\`\n\n`);
  const sorted = [...loads].sort((x, y) => x - y);
  process.stdout.write(`${cpus().length} cores; 1-minute load average during the run: min ${sorted[0]!.toFixed(1)}, median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)}, max ${sorted.at(-1)!.toFixed(1)} (${sorted.length} samples)\n\n`);
  process.stdout.write('| measure | result | ratio | note |\n|---|---|---|---|\n');
  for (const row of rows) process.stdout.write(`| ${row.join(' | ')} |\n`);
}
