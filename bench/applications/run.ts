/**
 * Insights throughput alone: part (a) of bench/insights — the applications insights consumer
 * (review states, insights with aspects, quotes and locales, daily trend buckets, alerts) against
 * the bus alone, on the same realistic events, in the same run.
 * Usage: npm run bench:applications -- [--reviews 3000] [--products 6]
 */
import { parseArgs } from 'node:util';
import { createLogger } from '../../lib/logger.js';
import { benchInfra } from '../infra.js';
import { consumerRates } from '../insights/consumer-rate.js';

const { values } = parseArgs({ options: { reviews: { type: 'string', default: '3000' }, products: { type: 'string', default: '6' } } });
const reviews = Number(values.reviews);
const products = Number(values.products);
if (!Number.isInteger(reviews) || reviews < 100) throw new Error('--reviews must be a whole number ≥ 100');
if (!Number.isInteger(products) || products < 1 || products > reviews) throw new Error('--products must be a whole number from 1 to --reviews');

const infra = await benchInfra();
try {
  process.stdout.write(`insights consumer benchmark: ${reviews} reviews (${reviews * 2} events) over ${products} products\n`);
  const rates = await consumerRates(infra, { reviews, products, log: createLogger('bench', 'warn') });
  process.stdout.write(`\n| measure | events/s | ratio |\n|---|---|---|\n`);
  process.stdout.write(`| bus alone, handler does nothing (baseline) | ${rates.bus.toFixed(0)} | 1.00 |\n`);
  process.stdout.write(`| insights consumer (${rates.alertsRaised} alerts raised) | ${rates.insights.toFixed(0)} | ${(rates.insights / rates.bus).toFixed(3)} of the bus |\n`);
} finally {
  await infra.close();
}
