import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer as createHttpServer, type IncomingHttpHeaders, type Server as HttpServer } from 'node:http';
import { jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBus, newEvent, type Bus } from '../../lib/bus/index.js';
import { deadLetterStreamName } from '../../lib/bus/streams.js';
import { freePort } from '../../lib/stack.js';
import { reviewTopics, type ReviewTopics } from '../../lib/streams.js';
import { alertTopics, type AlertTopics } from '../../subgraphs/applications/src/events.js';
import { AlertEventOutboxRepository } from '../../subgraphs/applications/src/repositories/alert-event-outbox-repository.js';
import { createServer } from '../../subgraphs/applications/src/server.js';
import { AlertEvents } from '../../subgraphs/applications/src/services/alert-events.js';
import { startInsightsConsumer } from '../../subgraphs/applications/src/services/insights-consumer.js';
import { postWebhook } from '../../subgraphs/applications/src/services/webhook-http.js';
import { verifyWebhook, WEBHOOK_HEADERS } from '../../subgraphs/applications/src/services/webhook-signature.js';
import { startWebhookWorker, type RunningWebhookWorker } from '../../subgraphs/applications/src/services/webhook-worker.js';
import { caller, eventually, freshDatabase, silentLog, TEST_SECRET } from '../support/fixtures.js';
import { testInfra, uniqueName } from '../support/infra.js';

type Server = Awaited<ReturnType<typeof createServer>>;
let server: Server;
let strict: Server;
let bus: Bus;
let reviews: ReviewTopics;
let alerts: AlertTopics;
let worker: RunningWebhookWorker;
let receiver: HttpServer;
let base: string;
let closedPort: number;

const TIMEOUT_MS = 1_500;
const RETRY = { maxAttempts: 4, baseDelayMs: 300, maxDelayMs: 1_200, disableAfterFailures: 6, disableAfterMs: 1_000 };

interface Received { path: string; headers: IncomingHttpHeaders; body: string; at: number }
const received: Received[] = [];
const hits = (path: string) => received.filter((r) => r.path === path);

/** The verification recipe exactly as the README shows it. */
function readmeVerifier(): (secret: string, headers: IncomingHttpHeaders, body: string) => boolean {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const block = readme.split('```js\n').map((b) => b.split('```')[0]!).find((b) => b.includes('function verifyReviewgraphWebhook'));
  if (!block) throw new Error('README has no verification recipe');
  return new Function('require', `${block}\nreturn verifyReviewgraphWebhook;`)(createRequire(import.meta.url));
}

async function run(query: string, variables: Record<string, unknown> = {}, who = caller(), on: Server = server) {
  const response = await on.apollo.executeOperation({ query, variables }, { contextValue: on.contextFor(who) });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult as { data?: Record<string, any> | null; errors?: Array<{ message: string; extensions?: Record<string, any> }> };
}
async function ok(query: string, variables: Record<string, unknown> = {}, who = caller()) {
  const result = await run(query, variables, who);
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data!;
}

const SUBSCRIBE = `mutation($url: String!, $events: [WebhookEvent!]!) { subscribeWebhook(url: $url, events: $events) { secret webhook { id url events enabled } } }`;
const subscribe = async (path: string, events = ['REVIEW_PUBLISHED'], who = caller()) => {
  const data = await ok(SUBSCRIBE, { url: path.startsWith('http') ? path : `${base}${path}`, events }, who);
  return data.subscribeWebhook as { secret: string; webhook: { id: string; url: string; events: string[]; enabled: boolean } };
};
const WEBHOOK = `query($id: ID!) { webhook(id: $id) { id enabled disabledReason disabledAt consecutiveFailures previousSecretExpiresAt
  deliveries(first: 50) { edges { node { id deliveryId eventId event attempt status httpStatus latencyMs error attemptedAt nextAttemptAt } } } } }`;
const webhook = async (id: string, who = caller()) => (await ok(WEBHOOK, { id }, who)).webhook as any;
const attempts = async (id: string) => ((await webhook(id)).deliveries.edges as Array<{ node: any }>).map((e) => e.node).reverse();

let serial = 0;
async function publishReview(tenantId = 'tenant-a') {
  const reviewId = `rev_wh_${serial++}`;
  await bus.publish(reviews.submitted, newEvent('review.submitted', tenantId, { reviewId, productId: 'prd_wh', rating: 4, title: 'ok', text: 'works', productCategory: null, locale: 'en', createdAt: new Date().toISOString() }));
  return reviewId;
}

beforeAll(async () => {
  const database = await freshDatabase('webhooks');
  const namespace = uniqueName('webhooks').toLowerCase();
  reviews = reviewTopics(namespace);
  alerts = alertTopics(namespace);
  bus = await connectBus({ natsUrl: testInfra().natsUrl, name: 'webhooks-test', log: silentLog, streams: [reviews.stream, alerts.stream] });
  server = await createServer({ database, log: silentLog, internalSecret: TEST_SECRET, webhookUrls: { allowLoopback: true } });
  strict = await createServer({ database, log: silentLog, internalSecret: TEST_SECRET });
  receiver = createHttpServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers, body, at: Date.now() });
      if (path.startsWith('/slow')) setTimeout(() => res.writeHead(200).end('late'), 30_000).unref();
      else if (path.startsWith('/fail')) res.writeHead(500).end('no');
      else if (path.startsWith('/redirect')) res.writeHead(302, { location: `${base}/redirected` }).end();
      else res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
  closedPort = await freePort();
  worker = await startWebhookWorker({ bus, database, topics: { reviews, alerts }, log: silentLog }, { attemptTimeoutMs: TIMEOUT_MS, concurrency: 8, perWebhookConcurrency: 2, pollIntervalMs: 50, urlPolicy: { allowLoopback: true }, retry: RETRY }, { backoffMs: [100], maxDeliver: 3 });
});

afterAll(async () => {
  await worker?.stop();
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
  const jsm = await jetstreamManager(bus.connection);
  for (const s of [reviews.stream, alerts.stream]) for (const name of [s.name, deadLetterStreamName(s)]) await jsm.streams.delete(name).catch(() => undefined);
  await bus.close();
});

describe('webhook deliveries', () => {
  it('delivers a signed review.published that verifies with the secret, and logs the attempt', async () => {
    const { secret, webhook: created } = await subscribe('/ok');
    expect(created).toMatchObject({ url: `${base}/ok`, events: ['REVIEW_PUBLISHED'], enabled: true });
    expect(secret).toMatch(/^whsec_/);
    const reviewId = await publishReview();
    const hit = await eventually(async () => hits('/ok').find((r) => r.body.includes(reviewId)), 15_000, 'the delivery');
    const body = JSON.parse(hit.body);
    expect(body).toMatchObject({ type: 'review.published', data: { reviewId, productId: 'prd_wh', rating: 4, text: 'works' } });
    expect(hit.headers[WEBHOOK_HEADERS.id]).toBe(body.id);
    const headers = { timestamp: hit.headers[WEBHOOK_HEADERS.timestamp] as string, signature: hit.headers[WEBHOOK_HEADERS.signature] as string };
    expect(verifyWebhook(secret, headers, hit.body)).toBe(true);
    expect(verifyWebhook(secret, headers, hit.body.replace('works', 'forged'))).toBe(false);
    expect(verifyWebhook('whsec_other', headers, hit.body)).toBe(false);
    // Replay-safe: the same signed request presented 10 minutes later is refused.
    expect(verifyWebhook(secret, headers, hit.body, Date.now() + 600_000)).toBe(false);
    // The README's recipe agrees.
    const recipe = readmeVerifier();
    expect(recipe(secret, hit.headers, hit.body)).toBe(true);
    expect(recipe(secret, hit.headers, hit.body.replace('works', 'forged'))).toBe(false);
    expect(recipe(secret, { ...hit.headers, [WEBHOOK_HEADERS.timestamp]: String(Number(headers.timestamp) - 600) }, hit.body)).toBe(false);
    const log = await eventually(async () => {
      const rows = await attempts(created.id);
      return rows.length === 1 ? rows : undefined;
    }, 10_000, 'the log row');
    expect(log[0]).toMatchObject({ deliveryId: body.id, event: 'REVIEW_PUBLISHED', attempt: 1, status: 'DELIVERED', httpStatus: 200, error: null, nextAttemptAt: null });
    expect(log[0].latencyMs).toBeGreaterThanOrEqual(0);
    // An event whose payload breaks its contract is dead-lettered by the webhooks consumer, with the reason, and sent nowhere.
    await bus.publish(reviews.submitted, newEvent('review.submitted', 'tenant-a', { reviewId: 'rev_wh_broken', rating: 4 }));
    const dead = await eventually(async () => (await bus.deadLetters(reviews.stream.name, { durable: 'webhooks' })).find((d) => d.raw.includes('rev_wh_broken')), 20_000, 'the dead letter');
    expect(dead.reason).toMatch(/review\.submitted .*productId/);
    expect(received.filter((r) => r.body.includes('rev_wh_broken'))).toEqual([]);
    // Only the subscribed events: an analysed review is not sent to it.
    await bus.publish(reviews.analyzed, newEvent('review.analyzed', 'tenant-a', { reviewId, productId: 'prd_wh', revision: 1, label: 'POSITIVE', modelVersion: 'm', aspects: [] }));
    await new Promise((r) => setTimeout(r, 800));
    expect(hits('/ok').filter((r) => JSON.parse(r.body).type === 'review.analyzed')).toEqual([]);
  });

  it('retries a receiver that is down, with growing, jittered delays, and logs why', async () => {
    const { webhook: created } = await subscribe(`http://127.0.0.1:${closedPort}/down`);
    await publishReview();
    const rows = await eventually(async () => {
      const r = await attempts(created.id);
      return r.length >= 3 ? r : undefined;
    }, 20_000, 'three attempts');
    expect(rows.slice(0, 3).map((r) => [r.attempt, r.status, r.httpStatus])).toEqual([[1, 'RETRYING', null], [2, 'RETRYING', null], [3, 'RETRYING', null]]);
    expect(rows[0].error).toMatch(/connection failed: ECONNREFUSED/);
    const waits = rows.slice(0, 3).map((r) => Date.parse(r.nextAttemptAt) - Date.parse(r.attemptedAt));
    // Equal jitter: the n-th wait lies in [c/2, c] with c = 300 ms * 2^(n-1) (capped at 1.2 s).
    waits.forEach((w, i) => {
      const c = Math.min(RETRY.maxDelayMs, RETRY.baseDelayMs * 2 ** i);
      expect(w).toBeGreaterThanOrEqual(c / 2 - 1);
      expect(w).toBeLessThanOrEqual(c + TIMEOUT_MS);
    });
    const final = await eventually(async () => {
      const r = await attempts(created.id);
      return r.length === RETRY.maxAttempts ? r : undefined;
    }, 20_000, 'the last attempt');
    expect(final.at(-1)).toMatchObject({ attempt: RETRY.maxAttempts, status: 'FAILED', nextAttemptAt: null });
  });

  it('cuts a receiver that takes 30 s off at the attempt timeout, and retries it', async () => {
    const { webhook: created } = await subscribe('/slow');
    await publishReview();
    const rows = await eventually(async () => {
      const r = await attempts(created.id);
      return r.length >= 2 ? r : undefined;
    }, 20_000, 'two attempts');
    expect(rows[0]).toMatchObject({ attempt: 1, status: 'RETRYING', httpStatus: null, error: `no complete answer within ${TIMEOUT_MS} ms` });
    expect(rows[0].latencyMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(rows[0].latencyMs).toBeLessThan(TIMEOUT_MS + 2_000);
    expect(rows[1].attempt).toBe(2);
    expect(hits('/slow').length).toBeGreaterThanOrEqual(2);
  });

  it('does not follow a redirect: the attempt fails with the 3xx and the target is never called', async () => {
    const { webhook: created } = await subscribe('/redirect');
    await publishReview();
    const rows = await eventually(async () => {
      const r = await attempts(created.id);
      return r.length >= 1 ? r : undefined;
    }, 15_000, 'an attempt');
    expect(rows[0]).toMatchObject({ attempt: 1, status: 'RETRYING', httpStatus: 302 });
    expect(rows[0].error).toMatch(/redirect \(HTTP 302 to .*\/redirected\) not followed/);
    expect(hits('/redirected')).toEqual([]);
  });

  it('disables a webhook whose receiver keeps answering 500, says why, and re-enables it by update', async () => {
    const { webhook: created } = await subscribe('/fail');
    for (let i = 0; i < 3; i++) await publishReview();
    const disabled = await eventually(async () => {
      const w = await webhook(created.id);
      return w.enabled === false ? w : undefined;
    }, 30_000, 'the webhook disabled');
    expect(disabled.disabledReason).toMatch(/^disabled automatically after \d+ consecutive failed attempts since .*; last: HTTP 500$/);
    expect(disabled.disabledAt).not.toBeNull();
    const rows = await attempts(created.id);
    expect(rows.filter((r) => r.httpStatus === 500).length).toBeGreaterThanOrEqual(RETRY.disableAfterFailures);
    // Sustained, not just many: the failures span at least disableAfterMs.
    const failed = rows.filter((r) => r.httpStatus === 500);
    expect(Date.parse(failed.at(-1).attemptedAt) - Date.parse(failed[0].attemptedAt)).toBeGreaterThanOrEqual(RETRY.disableAfterMs - TIMEOUT_MS);
    // Disabled: nothing more is sent.
    await new Promise((r) => setTimeout(r, 500));
    const sent = hits('/fail').length;
    await publishReview();
    await new Promise((r) => setTimeout(r, 1_500));
    expect(hits('/fail').length).toBe(sent);

    const update = await ok(`mutation($id: ID!) { updateWebhook(id: $id, url: "${base}/ok-again", enabled: true) { id enabled disabledReason consecutiveFailures } }`, { id: created.id });
    expect(update.updateWebhook).toEqual({ id: created.id, enabled: true, disabledReason: null, consecutiveFailures: 0 });
    const reviewId = await publishReview();
    await eventually(async () => hits('/ok-again').find((r) => r.body.includes(reviewId)), 15_000, 'a delivery after re-enabling');
  });

  it('rotates the secret: both signatures are sent during the overlap, only the new one after it', async () => {
    const { secret: old, webhook: created } = await subscribe('/rotate');
    const rotated = await ok(`mutation($id: ID!) { rotateWebhookSecret(id: $id, overlapSeconds: 3600) { secret webhook { id previousSecretExpiresAt } } }`, { id: created.id });
    const fresh = rotated.rotateWebhookSecret.secret as string;
    expect(fresh).not.toBe(old);
    expect(Date.parse(rotated.rotateWebhookSecret.webhook.previousSecretExpiresAt) - Date.now()).toBeGreaterThan(3_500_000);
    const first = await publishReview();
    const during = await eventually(async () => hits('/rotate').find((r) => r.body.includes(first)), 15_000, 'a delivery during the overlap');
    const duringHeaders = { timestamp: during.headers[WEBHOOK_HEADERS.timestamp] as string, signature: during.headers[WEBHOOK_HEADERS.signature] as string };
    expect(duringHeaders.signature.split(',')).toHaveLength(2);
    expect(verifyWebhook(fresh, duringHeaders, during.body)).toBe(true);
    expect(verifyWebhook(old, duringHeaders, during.body)).toBe(true);

    const again = await ok(`mutation($id: ID!) { rotateWebhookSecret(id: $id, overlapSeconds: 0) { secret webhook { previousSecretExpiresAt } } }`, { id: created.id });
    expect(again.rotateWebhookSecret.webhook.previousSecretExpiresAt).toBeNull();
    const newest = again.rotateWebhookSecret.secret as string;
    const second = await publishReview();
    const after = await eventually(async () => hits('/rotate').find((r) => r.body.includes(second)), 15_000, 'a delivery after the rotation');
    const afterHeaders = { timestamp: after.headers[WEBHOOK_HEADERS.timestamp] as string, signature: after.headers[WEBHOOK_HEADERS.signature] as string };
    expect(afterHeaders.signature.split(',')).toHaveLength(1);
    expect(verifyWebhook(newest, afterHeaders, after.body)).toBe(true);
    expect(verifyWebhook(fresh, afterHeaders, after.body)).toBe(false);
    expect(verifyWebhook(old, afterHeaders, after.body)).toBe(false);
    const bad = await run(`mutation($id: ID!) { rotateWebhookSecret(id: $id, overlapSeconds: 999999999) { secret } }`, { id: created.id });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'overlapSeconds' });
  });

  it('delivers alert.raised and alert.resolved from the insights consumer through the bus, and the outbox republishes a lost publish', async () => {
    const { webhook: created } = await subscribe('/alerts', ['ALERT_RAISED', 'ALERT_RESOLVED']);
    const alertEvents = new AlertEvents({ outbox: new AlertEventOutboxRepository(server.insights.database), alerts: server.alerts, bus, topics: alerts, log: silentLog });
    const consumer = await startInsightsConsumer(bus, { insights: server.insights, states: server.states, alerts: server.alerts, alertEvents, topics: reviews, log: silentLog }, { backoffMs: [100], maxDeliver: 3 });
    try {
      const DAY = 86_400_000;
      const review = (daysAgo: number, negative: boolean) => {
        const reviewId = `rev_wh_al_${serial++}`;
        const polarity = negative ? 'NEGATIVE' : 'POSITIVE';
        return [
          { subject: reviews.submitted, event: newEvent('review.submitted', 'tenant-a', { reviewId, productId: 'prd_alert', rating: negative ? 1 : 5, text: 't', productCategory: null, title: null, locale: 'en', createdAt: new Date(Date.now() - daysAgo * DAY).toISOString() }) },
          { subject: reviews.analyzed, event: newEvent('review.analyzed', 'tenant-a', { reviewId, productId: 'prd_alert', revision: 1, label: polarity, modelVersion: 'm', aspects: [] }) },
        ];
      };
      await bus.publishMany(Array.from({ length: 30 }, (_, i) => review(8 + (i % 20), i < 3)).flat());
      await bus.publishMany(Array.from({ length: 15 }, (_, i) => review(i % 7, i < 10)).flat());
      const raised = await eventually(async () => {
        const bodies = hits('/alerts').map((r) => JSON.parse(r.body));
        return bodies.some((b) => b.type === 'alert.raised') ? bodies : undefined;
      }, 40_000, 'an alert.raised delivery');
      const alert = raised.find((b) => b.type === 'alert.raised')!;
      expect(alert.data).toMatchObject({ productId: 'prd_alert', status: 'ACTIVE', resolvedAt: null });
      expect(alert.data.evidence.recentTotal).toBe(15);
      await bus.publishMany(Array.from({ length: 60 }, (_, i) => review(i % 7, false)).flat());
      const resolved = await eventually(async () => hits('/alerts').map((r) => JSON.parse(r.body)).find((b) => b.type === 'alert.resolved' && b.data.alertId === alert.data.alertId), 40_000, 'its alert.resolved delivery');
      expect(resolved.data).toMatchObject({ status: 'RESOLVED' });
      expect(resolved.data.resolvedAt).not.toBeNull();
      // Each alert event reaches the webhook once.
      const ids = hits('/alerts').map((r) => JSON.parse(r.body).eventId);
      expect(new Set(ids).size).toBe(ids.length);

      // A raise stored while the bus publish was lost stays in the outbox until the sweeper sends it.
      const stored = (await server.alerts.findByIds('tenant-a', [alert.data.alertId])).get(alert.data.alertId)!;
      const orphan = { ...stored, _id: `${stored._id}_lost`, status: 'ACTIVE' as const, resolvedAt: null };
      await alertEvents.record('alert.raised', orphan);
      await server.alerts.raise(orphan);
      expect(await alertEvents.sweep(0)).toMatchObject({ republished: 1 });
      await eventually(async () => hits('/alerts').find((r) => JSON.parse(r.body).data.alertId === orphan._id), 15_000, 'the swept alert event');
      expect(await server.insights.database.db.collection('alert_event_outbox').countDocuments()).toBe(0);
      expect((await attempts(created.id)).every((r) => r.status === 'DELIVERED')).toBe(true);
    } finally {
      await consumer.stop();
    }
  });
});

describe('webhook isolation', () => {
  it('a slow receiver with a backlog holds its own slots only: another webhook of the tenant is delivered at once', async () => {
    const who = caller('tenant-backlog');
    await subscribe('/slow-backlog', ['REVIEW_PUBLISHED'], who);
    await bus.publishMany(Array.from({ length: 80 }, (_, i) => ({ subject: reviews.submitted, event: newEvent('review.submitted', 'tenant-backlog', { reviewId: `rev_backlog_${i}`, productId: 'prd_wh', rating: 3, text: 't', locale: 'en', createdAt: new Date().toISOString() }) })));
    await eventually(async () => (hits('/slow-backlog').length >= 2 ? true : undefined), 15_000, 'the slow receiver busy');
    await subscribe('/beside-backlog', ['REVIEW_PUBLISHED'], who);
    const reviewId = `rev_backlog_after`;
    const sent = Date.now();
    await bus.publish(reviews.submitted, newEvent('review.submitted', 'tenant-backlog', { reviewId, productId: 'prd_wh', rating: 3, text: 't', locale: 'en', createdAt: new Date().toISOString() }));
    const hit = await eventually(async () => hits('/beside-backlog').find((r) => r.body.includes(reviewId)), 15_000, 'the other webhook delivered');
    // Well before the backlog's 60 s: queued behind it (before the per-webhook limit) it took 9.4 s here.
    expect(hit.at - sent).toBeLessThan(8_000);
    // The slow one is far from through its 80 deliveries (2 at a time, 1.5 s each).
    expect(hits('/slow-backlog').length).toBeLessThan(40);
  });
});

describe('webhook URLs', () => {
  const refusals: Array<[string, string, string?]> = [
    ['ftp://example.com/hook', 'UNSUPPORTED_SCHEME'],
    ['file:///etc/passwd', 'UNSUPPORTED_SCHEME'],
    ['javascript:alert(1)', 'UNSUPPORTED_SCHEME'],
    ['not a url', 'INVALID_URL'],
    ['https://user:pass@example.com/hook', 'CREDENTIALS_IN_URL'],
    ['https://token@example.com/hook', 'CREDENTIALS_IN_URL'],
    ['http://127.0.0.1:8080/hook', 'BLOCKED_ADDRESS', 'loopback'],
    ['http://[::1]/hook', 'BLOCKED_ADDRESS', 'loopback'],
    ['http://2130706433/hook', 'BLOCKED_ADDRESS', 'loopback'],
    ['http://localhost/hook', 'BLOCKED_ADDRESS', 'loopback'],
    ['http://10.1.2.3/hook', 'BLOCKED_ADDRESS', 'private'],
    ['http://172.16.0.1/hook', 'BLOCKED_ADDRESS', 'private'],
    ['http://192.168.1.1/hook', 'BLOCKED_ADDRESS', 'private'],
    ['http://169.254.169.254/latest/meta-data/', 'BLOCKED_ADDRESS', 'linkLocal'],
    ['http://[fe80::1]/hook', 'BLOCKED_ADDRESS', 'linkLocal'],
    ['http://[fd00:ec2::254]/latest/meta-data/', 'BLOCKED_ADDRESS', 'uniqueLocal'],
    ['http://100.64.0.1/hook', 'BLOCKED_ADDRESS', 'carrierGradeNat'],
    ['http://224.0.0.1/hook', 'BLOCKED_ADDRESS', 'multicast'],
    ['http://[ff02::1]/hook', 'BLOCKED_ADDRESS', 'multicast'],
    ['http://0.0.0.0/hook', 'BLOCKED_ADDRESS', 'unspecified'],
    ['http://[::]/hook', 'BLOCKED_ADDRESS', 'unspecified'],
    ['http://[::ffff:127.0.0.1]/hook', 'BLOCKED_ADDRESS', 'loopback'],
    ['http://[::ffff:169.254.169.254]/hook', 'BLOCKED_ADDRESS', 'linkLocal'],
    ['http://[::ffff:10.0.0.1]/hook', 'BLOCKED_ADDRESS', 'private'],
    ['http://no-such-host.invalid/hook', 'UNRESOLVABLE_HOST'],
  ];

  it('refuses each class of URL with BAD_USER_INPUT and its reason, and loopback unless the development setting allows it', async () => {
    for (const [url, reason, range] of refusals) {
      const result = await run(SUBSCRIBE, { url, events: ['REVIEW_PUBLISHED'] }, caller(), strict);
      expect(result.errors?.[0]?.extensions, url).toMatchObject({ code: 'BAD_USER_INPUT', field: 'url', reason, ...(range ? { range } : {}) });
    }
    // The development setting lets loopback through, nothing else.
    expect((await run(SUBSCRIBE, { url: 'http://127.0.0.1:8080/hook', events: ['REVIEW_PUBLISHED'] })).errors).toBeUndefined();
    expect((await run(SUBSCRIBE, { url: 'http://169.254.169.254/', events: ['REVIEW_PUBLISHED'] })).errors?.[0]?.extensions).toMatchObject({ reason: 'BLOCKED_ADDRESS', range: 'linkLocal' });
    // An update is checked the same way.
    const { webhook: created } = await subscribe('/checked');
    const update = await run(`mutation($id: ID!) { updateWebhook(id: $id, url: "http://10.0.0.1/") { id } }`, { id: created.id }, caller(), strict);
    expect(update.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'BLOCKED_ADDRESS', range: 'private' });
    const empty = await run(SUBSCRIBE, { url: `${base}/x`, events: [] });
    expect(empty.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'events' });
  });

  it('checks every address again at delivery time: a host that resolves to loopback is refused without a request', async () => {
    // A path of its own: other tests' deliveries still arrive at the same receiver meanwhile.
    const path = `/delivery-time-check-${Date.now()}`;
    const port = (receiver.address() as { port: number }).port;
    const outcome = await postWebhook(`http://localhost:${port}${path}`, {}, '{}', { timeoutMs: TIMEOUT_MS, policy: { allowLoopback: false } });
    expect(outcome).toMatchObject({ ok: false, httpStatus: null });
    expect(outcome.error).toMatch(/a loopback address; webhooks only call public addresses/);
    const literal = await postWebhook(`http://[::ffff:127.0.0.1]:${port}${path}`, {}, '{}', { timeoutMs: TIMEOUT_MS, policy: { allowLoopback: false } });
    expect(literal.error).toMatch(/loopback/);
    expect(hits(path)).toEqual([]);
  });
});

describe('webhook ownership', () => {
  it('keeps webhooks and their deliveries to their tenant, and needs the write scope to change them', async () => {
    const { webhook: mine } = await subscribe('/tenant-a', ['REVIEW_PUBLISHED']);
    const { webhook: theirs } = await subscribe('/tenant-b', ['REVIEW_PUBLISHED'], caller('tenant-b'));
    expect((await ok(`query($id: ID!) { webhook(id: $id) { id } }`, { id: mine.id }, caller('tenant-b'))).webhook).toBeNull();
    const listed = (await ok(`{ webhooks(first: 100) { edges { node { id } } } }`, {}, caller('tenant-b'))).webhooks.edges.map((e: any) => e.node.id);
    expect(listed).toEqual([theirs.id]);
    for (const mutation of [
      `mutation($id: ID!) { updateWebhook(id: $id, enabled: false) { id } }`,
      `mutation($id: ID!) { deleteWebhook(id: $id) { id } }`,
      `mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }`,
    ]) {
      const result = await run(mutation, { id: mine.id }, caller('tenant-b'));
      expect(result.errors?.[0]?.extensions?.code, mutation).toBe('NOT_FOUND');
    }
    expect((await webhook(mine.id)).enabled).toBe(true);

    const reviewA = await publishReview('tenant-a');
    const reviewB = await publishReview('tenant-b');
    await eventually(async () => (hits('/tenant-a').length > 0 && hits('/tenant-b').length > 0 ? true : undefined), 15_000, 'both tenants delivered');
    await new Promise((r) => setTimeout(r, 500));
    expect(hits('/tenant-a').map((r) => JSON.parse(r.body).data.reviewId)).toEqual([reviewA]);
    expect(hits('/tenant-b').map((r) => JSON.parse(r.body).data.reviewId)).toEqual([reviewB]);

    const readOnly = { ...caller(), scopes: ['read'] };
    const refused = await run(SUBSCRIBE, { url: `${base}/x`, events: ['REVIEW_PUBLISHED'] }, readOnly);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await run(`mutation($id: ID!) { deleteWebhook(id: $id) { id } }`, { id: mine.id }, readOnly)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await run(`{ webhooks { edges { node { id } } } }`, {}, { ...caller(), scopes: [] })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    expect((await ok(`mutation($id: ID!) { deleteWebhook(id: $id) { id } }`, { id: mine.id })).deleteWebhook).toEqual({ id: mine.id });
    expect((await ok(`query($id: ID!) { webhook(id: $id) { id } }`, { id: mine.id })).webhook).toBeNull();
    const sent = hits('/tenant-a').length;
    await publishReview('tenant-a');
    await new Promise((r) => setTimeout(r, 1_000));
    expect(hits('/tenant-a').length).toBe(sent);
  });
});
