import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { DEMO_PRODUCTS, generateReviews } from './demo/catalogue.js';

const usage = 'usage: npm run seed -- [--reviews N] [--url http://127.0.0.1:4000/graphql] [--api-key KEY]';
const { values } = parseArgs({ options: { reviews: { type: 'string' }, url: { type: 'string' }, 'api-key': { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
if (values.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
const total = Number(values.reviews ?? 3000);
if (!Number.isInteger(total) || total < 1 || total > 1_000_000) {
  process.stderr.write(`--reviews must be a whole number from 1 to 1000000\n${usage}\n`);
  process.exit(2);
}
const url = values.url ?? process.env.REVIEWGRAPH_URL ?? `http://127.0.0.1:${process.env.GATEWAY_PORT ?? 4000}/graphql`;
const apiKey = values['api-key'] ?? process.env.REVIEWGRAPH_API_KEY;

async function gql<T>(query: string, variables: Record<string, unknown>): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(apiKey ? { 'x-api-key': apiKey } : {}) }, body: JSON.stringify({ query, variables }) });
  } catch {
    throw new Error(`cannot reach the gateway at ${url}: is \`npm start\` running?`);
  }
  const body = (await response.json()) as { data?: T; errors?: Array<{ message: string }> };
  if (body.errors?.length) throw new Error(`gateway answered: ${body.errors.map((e) => e.message).join('; ')}`);
  return body.data as T;
}

try {
  const started = Date.now();
  const { upsertProducts } = await gql<{ upsertProducts: { products: Array<{ id: string; sku: string }> } }>(
    'mutation($p: [ProductInput!]!) { upsertProducts(input: { products: $p }) { products { id sku } } }',
    { p: DEMO_PRODUCTS.map(({ sku, name, brand, category }) => ({ sku, name, brand, category })) },
  );
  const idOf = new Map(upsertProducts.products.map((p) => [p.sku, p.id]));
  process.stdout.write(`seeding ${DEMO_PRODUCTS.length} products and ${total} reviews through ${url}\n`);
  const reviews = generateReviews(total);
  const bar = new cliProgress.SingleBar({ format: 'reviews [{bar}] {value}/{total} | {eta_formatted} left | rejected {rejected}', hideCursor: true }, cliProgress.Presets.shades_classic);
  bar.start(total, 0, { rejected: 0 });
  let rejected = 0;
  for (let offset = 0; offset < reviews.length; offset += 250) {
    const batch = reviews.slice(offset, offset + 250).map(({ sku, ...review }) => ({ ...review, productId: idOf.get(sku), source: 'demo' }));
    const { submitReviews } = await gql<{ submitReviews: { accepted: unknown[]; rejected: Array<{ message: string }> } }>(
      'mutation($r: [ReviewInput!]!) { submitReviews(input: { reviews: $r }) { accepted { id } rejected { index code message } } }',
      { r: batch },
    );
    rejected += submitReviews.rejected.length;
    bar.update(offset + batch.length, { rejected });
  }
  bar.stop();
  process.stdout.write(`done in ${((Date.now() - started) / 1000).toFixed(1)} s; ${rejected} rejected. Analysis and insights fill in over the next seconds.\n`);
  process.stdout.write(`try: curl -s ${url} -H 'content-type: application/json' -d '{"query":"{ productBySku(sku: \\"NP-TRAIL-2\\") { name insights { reviewCount averageRating sentimentBreakdown { positive neutral negative } } } }"}'\n`);
} catch (error) {
  process.stderr.write(`seed failed: ${(error as Error).message}\n`);
  process.exit(1);
}
