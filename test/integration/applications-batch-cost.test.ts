import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newEvent } from '../../lib/bus/index.js';
import type { Database } from '../../lib/mongo.js';
import { insightsId } from '../../subgraphs/applications/src/models/insights.js';
import { AlertRepository } from '../../subgraphs/applications/src/repositories/alert-repository.js';
import { InsightsRepository } from '../../subgraphs/applications/src/repositories/insights-repository.js';
import { ReviewStateRepository } from '../../subgraphs/applications/src/repositories/review-state-repository.js';
import { evaluateAlerts } from '../../subgraphs/applications/src/services/alert-evaluator.js';
import { applyReviewEvents } from '../../subgraphs/applications/src/services/insights-consumer.js';
import { testInfra, uniqueName } from '../support/infra.js';

// The database commands this file's client sends, counted from the driver's own command events.
let client: MongoClient;
let database: Database;
const commands: string[] = [];

beforeAll(async () => {
  client = new MongoClient(testInfra().mongoUri, { monitorCommands: true });
  await client.connect();
  database = { client, db: client.db(uniqueName('batch_cost')), isFerretDB: true, close: () => client.close() };
  client.on('commandStarted', (e) => commands.push(e.commandName));
});

afterAll(async () => {
  await database?.db.dropDatabase();
  await client?.close();
});

const PRODUCTS = 16;
const MONTHS = ['2026-01', '2026-02', '2026-03', '2026-04'];
const productId = (p: number) => `prd_${p.toString(16).padStart(24, '0')}`;

/** One batch as the consumer takes it: a submission and an analysis per review, 64 reviews over 16 products and 4 months. */
function batch(offset: number) {
  return Array.from({ length: 64 }, (_, i) => {
    const n = offset + i;
    const reviewId = `rev_${n.toString(16).padStart(24, '0')}`;
    const product = productId(i % PRODUCTS);
    const createdAt = `${MONTHS[Math.floor(i / PRODUCTS) % MONTHS.length]}-1${i % 9}T10:00:00.000Z`;
    const aspects = [{ aspect: 'battery', polarity: i % 3 === 0 ? 'NEGATIVE' : 'POSITIVE', score: 0.9, snippet: 'The battery lasts', start: 4, end: 11 }];
    return [
      newEvent('review.submitted', 'tenant-a', { reviewId, productId: product, rating: 1 + (i % 5), text: 'The battery lasts', productCategory: 'sport-watch', title: null, locale: 'en-US', createdAt }),
      newEvent('review.analyzed', 'tenant-a', { reviewId, productId: product, status: 'DONE', label: i % 3 === 0 ? 'NEGATIVE' : 'POSITIVE', previousLabel: null, revision: 1, modelVersion: 'm1', aspects }),
    ];
  }).flat();
}

/** The last `n` commands, counted by name: "find 9, insert 4, update 2". */
const lastCommands = (n: number) => Object.entries(commands.slice(-n).reduce<Record<string, number>>((c, name) => ({ ...c, [name]: (c[name] ?? 0) + 1 }), {})).map(([name, k]) => `${name} ${k}`).join(', ');

async function counting(work: () => Promise<unknown>): Promise<number> {
  const before = commands.length;
  await work();
  return commands.length - before;
}

describe('what a batch costs the database', () => {
  it('applies a batch touching 16 products and 64 months of daily buckets in a few commands, and evaluates their alerts in a few more', async () => {
    const insights = new InsightsRepository(database);
    const states = new ReviewStateRepository(database);
    const alerts = new AlertRepository(database);
    const products = Array.from({ length: PRODUCTS }, (_, p) => productId(p));
    const evaluateAll = () => Promise.all(products.map((p) => evaluateAlerts({ insights, alerts }, 'tenant-a', p)));

    // The first batch also creates the 80 aggregates; one command per aggregate would be 80 or more.
    const first = await counting(() => applyReviewEvents({ insights, states }, batch(0)));
    expect(first, `commands for the first batch: ${lastCommands(first)}`).toBeLessThanOrEqual(20);
    const second = await counting(() => applyReviewEvents({ insights, states }, batch(64)));
    expect(second, `commands for the second batch: ${lastCommands(second)}`).toBeLessThanOrEqual(16);
    // Each product's alert evaluation reads its insights, its alert months and its signals: read together, not 5 reads per product.
    const evaluation = await counting(evaluateAll);
    expect(evaluation, `commands for the alert evaluation of ${PRODUCTS} products: ${lastCommands(evaluation)}`).toBeLessThanOrEqual(8);

    // Fewer commands, the same counts: every product holds its 8 reviews, and each month its 2 per product.
    const found = await insights.findByProductIds('tenant-a', products);
    for (const p of products) expect(found.get(p), p).toMatchObject({ reviewCount: 8, analyzedCount: 8 });
    const months = await insights.findMonths('tenant-a', productId(0), MONTHS);
    expect([...months.values()].map((m) => Object.values(m.days).reduce((n, d) => n + d.count, 0))).toEqual([2, 2, 2, 2]);
    // The stored document reads back whole through a fresh repository (packed fields included).
    const fresh = (await new InsightsRepository(database).findByProductIds('tenant-a', [productId(0)])).get(productId(0))!;
    expect(fresh._id).toBe(insightsId('tenant-a', productId(0)));
    expect(fresh.aspects).toEqual(found.get(productId(0))!.aspects);
    expect(Object.keys(fresh.quotes)).toEqual(['battery']);
  });
});
