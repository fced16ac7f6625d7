/**
 * The gateway stopped (SIGSTOP) in a graph supervised as `npm start` supervises it (restarts and liveness
 * checks, with shorter windows). A stopped gateway never exits and its port stays bound, so clients'
 * connections queue in the kernel. Promises checked from outside:
 * - stopped for about half the liveness window, then resumed (SIGCONT): the same process serves on;
 *   every request in flight when it stopped, or sent while it was stopped, is answered once it resumes
 *   (none hangs, none is cut off), none with SUBGRAPH_TIMEOUT: a read whose subgraph answered while the
 *   gateway was stopped, its subgraph timeout overdue at the resume, is answered in full; every review
 *   acknowledged just before the stop, or by an answer that came after it, is stored, once;
 * - stopped past the window: the supervisor kills it and starts another on the same port, which serves
 *   the graph with every acknowledged review; a request the stopped one held ends at once with it
 *   (connection reset, not a client timeout); nothing else is restarted.
 * Run on demand (`npm run test:faults`): alone it passes, but inside the whole `npm test` run on the
 * 2-core machine a held read sometimes meets its subgraph timeout before the gateway is stopped (the
 * set-up waits for 4 calls to queue at the stopped subgraph, and under that load the wait can use up
 * the 5 s), which this test cannot tell from the defect it checks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../lib/stack.js';
import type { RunningProcess } from '../../lib/supervisor.js';
import { eventually } from '../support/fixtures.js';
import { askGateway, type GatewayAnswer } from '../support/gateway-client.js';
import { answersUnreadByClient, requestsUnreadByServer } from '../support/socket-queues.js';
import { startTestStack } from '../support/stack.js';

const KEY = 'gwpause-key-0123456789abcdef01234';
const INTERVAL_MS = 1_000;
const TIMEOUT_MS = 1_000;
const FAILURES = 5;
/** Five misses need at least this long: the first check that meets the stop, four more after it. */
const WINDOW_MS = FAILURES * (INTERVAL_MS + TIMEOUT_MS);
/** Over half the window, and past a subgraph's keep-alive (5 s): the gateway's idle connections to the subgraphs are closed while it is stopped. */
const SHORT_STOP_MS = 5_500;
/** Far past every timeout of the graph: a request still open this long is a hang. */
const CLIENT_TIMEOUT_MS = 45_000;
/** Reads held at a stopped applications subgraph until the gateway is stopped: their answers arrive while it is. */
const HELD_READS = 4;
/**
 * What a request that was not held by the stop may get on a loaded machine: a subgraph call sent
 * after the resume still has its bound (the held reads, whose answers waited at the gateway, may not).
 */
const CLEAR_CODES = new Set(['SUBGRAPH_TIMEOUT', 'SUBGRAPH_UNAVAILABLE', 'DATABASE_UNAVAILABLE']);

let stack: Stack;
const lines: string[] = [];
const failures: string[] = [];
const stoppedPids = new Set<number>();
let pids: Array<number | undefined> = [];
let productId: string;
/** Every review id an answer acknowledged. */
const acknowledged: string[] = [];

const gql = (query: string, variables: Record<string, unknown> = {}) => askGateway(stack.gatewayUrl, KEY, query, variables, CLIENT_TIMEOUT_MS);
const PRODUCT_PAGE = `query($id: ID!) { product(id: $id) { name insights { reviewCount } reviews(first: 5) { edges { node { id rating } } } } }`;
const SUBMIT = `mutation($r: [ReviewInput!]!) { submitReviews(input: { reviews: $r }) { accepted { id } rejected { index code message } } }`;
const gateway = (): RunningProcess => stack.processes.find((p) => p.spec.name === 'gateway')!;
const applications = (): RunningProcess => stack.processes.find((p) => p.spec.name === 'applications')!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const logTail = () => lines.slice(-30).join('\n');

let written = 0;
function submit(count: number, label: string): Promise<GatewayAnswer> {
  const reviews = Array.from({ length: count }, (_, i) => ({ productId, rating: 1 + ((written + i) % 5), text: `${label} ${written + i}: the battery lasts a week and the strap is soft.` }));
  written += count;
  return gql(SUBMIT, { r: reviews });
}

/** Submits and expects every review accepted; returns their ids. */
async function submitAccepted(count: number, label: string): Promise<string[]> {
  const answer = await submit(count, label);
  expect(answer.body?.errors, answer.text).toBeUndefined();
  expect(answer.body!.data!.submitReviews.rejected).toEqual([]);
  return answer.body!.data!.submitReviews.accepted.map((a: { id: string }) => a.id);
}

/** Every review id of the product, paging through the graph. */
async function listedReviewIds(): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await gql(`query($id: ID!, $after: String) { product(id: $id) { reviews(first: 100, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } } }`, { id: productId, after });
    if (!page.body?.data || page.body.errors) throw new Error(page.error ?? page.text);
    const reviews = page.body.data.product.reviews;
    ids.push(...reviews.edges.map((e: { node: { id: string } }) => e.node.id));
    if (!reviews.pageInfo.hasNextPage) return ids;
    after = reviews.pageInfo.endCursor;
  }
}

/** A read that answers in full, as before any stop. */
async function readsInFull(): Promise<true | undefined> {
  const read = await gql(PRODUCT_PAGE, { id: productId });
  return !read.body?.errors && read.body?.data?.product?.name === 'Paused Gateway' && typeof read.body.data.product.insights?.reviewCount === 'number' ? true : undefined;
}

beforeAll(async () => {
  stack = await startTestStack('gwpause', {
    workers: 0,
    keys: [{ key: KEY, name: 'writer', tenantId: 'gwpause', scopes: ['read', 'write'] }],
    restart: { initialDelayMs: 200, maxDelayMs: 1_000, stableAfterMs: 60_000, maxCrashes: 5, crashWindowMs: 60_000 },
    env: { LIVENESS_INTERVAL_MS: String(INTERVAL_MS), LIVENESS_TIMEOUT_MS: String(TIMEOUT_MS), LIVENESS_FAILURES: String(FAILURES) },
    write: (line) => lines.push(line),
    onFailure: (reason) => failures.push(reason),
  });
  pids = stack.processes.map((p) => p.pid);
  const upsert = await gql(`mutation { upsertProducts(input: { products: [{ sku: "GW-PAUSE", name: "Paused Gateway", category: "sport-watch" }] }) { products { id } } }`);
  productId = upsert.body!.data!.upsertProducts.products[0].id as string;
}, 240_000);

afterAll(async () => {
  for (const pid of stoppedPids) try { process.kill(pid, 'SIGCONT'); } catch { /* gone */ }
  await stack?.stop();
}, 60_000);

describe('the gateway stopped (SIGSTOP)', () => {
  it('for half the liveness window: resumed, the same process answers every request held by the stop, and no acknowledged review is lost', async () => {
    acknowledged.push(...(await submitAccepted(10, 'Before the stop')));
    const first = gateway().pid!;
    const subgraph = applications().pid!;
    const reads: Array<Promise<GatewayAnswer>> = [];
    const writes: Array<Promise<GatewayAnswer>> = [];
    // Passed on by the gateway before it stops, to a subgraph that answers only once the gateway is stopped:
    // each read's insights call waits unread at the stopped applications subgraph.
    stoppedPids.add(subgraph);
    expect(process.kill(subgraph, 'SIGSTOP')).toBe(true);
    let answersWaiting = 0;
    try {
      for (let i = 0; i < HELD_READS; i++) reads.push(gql(PRODUCT_PAGE, { id: productId }));
      await eventually(async () => (requestsUnreadByServer(first, stack.ports.applications) >= HELD_READS ? true : undefined), 20_000, `${HELD_READS} insights calls from the gateway waiting at the stopped applications subgraph`);
      // In flight when it stops: sent, and some already passed on to the subgraphs.
      for (let i = 0; i < 4; i++) reads.push(gql(PRODUCT_PAGE, { id: productId }));
      for (let i = 0; i < 2; i++) writes.push(submit(3, 'In flight at the stop'));
      await sleep(30);
      stoppedPids.add(first);
      expect(process.kill(first, 'SIGSTOP')).toBe(true);
    } finally {
      process.kill(subgraph, 'SIGCONT');
      stoppedPids.delete(subgraph);
    }
    const stoppedAt = Date.now();
    try {
      // Sent while it is stopped: they wait in its listen queue and open connections.
      while (Date.now() - stoppedAt < SHORT_STOP_MS - 500) {
        reads.push(gql(PRODUCT_PAGE, { id: productId }));
        writes.push(submit(3, 'Sent during the stop'));
        answersWaiting = Math.max(answersWaiting, answersUnreadByClient(first, stack.ports.applications));
        await sleep(500);
      }
      await sleep(SHORT_STOP_MS - (Date.now() - stoppedAt));
      answersWaiting = Math.max(answersWaiting, answersUnreadByClient(first, stack.ports.applications));
    } finally {
      process.kill(first, 'SIGCONT');
      stoppedPids.delete(first);
    }

    const answers = await Promise.all([...reads, ...writes]);
    const readAnswers = answers.slice(0, reads.length);
    const writeAnswers = answers.slice(reads.length);
    // The held reads' answers were in the stopped gateway's sockets before their timeout was due.
    expect(answersWaiting).toBeGreaterThanOrEqual(HELD_READS);
    // No request hangs or is cut off; each comes back as data or an error with a stable code, masked.
    expect(answers.filter((a) => a.error !== null || a.status !== 200).map((a) => `${a.status} ${a.error ?? a.text.slice(0, 200)}`)).toEqual([]);
    expect(answers.flatMap((a) => (a.body?.errors ?? []).filter((e) => !CLEAR_CODES.has(e.extensions?.code)).map((e) => JSON.stringify(e)))).toEqual([]);
    // The held reads had their answers by the resume, though their timeout fired late first.
    expect(readAnswers.slice(0, HELD_READS).filter((a) => a.body?.errors || a.body?.data?.product?.name !== 'Paused Gateway' || typeof a.body.data.product.insights?.reviewCount !== 'number').map((a) => a.text.slice(0, 300))).toEqual([]);
    for (const answer of answers) expect(answer.text).not.toMatch(/127\.0\.0\.1|ECONN|socket|Mongo|nats|stack/i);
    const answeredInFull = answers.filter((a) => !a.body?.errors);
    console.log(`gateway stopped ${SHORT_STOP_MS} ms: ${answers.length} requests held, ${answeredInFull.length} answered in full, slowest ${Math.round(Math.max(...answers.map((a) => a.ms)))} ms; codes: ${JSON.stringify([...new Set(answers.flatMap((a) => (a.body?.errors ?? []).map((e) => e.extensions?.code)))])}`);
    // A write's error may leave it unsure what was applied; none is expected well inside the 30 s mutation timeout.
    const unsure = writeAnswers.filter((a) => !a.body?.data?.submitReviews);
    expect(unsure.map((a) => a.text.slice(0, 200))).toEqual([]);
    for (const answer of writeAnswers) {
      expect(answer.body!.data!.submitReviews.rejected).toEqual([]);
      acknowledged.push(...answer.body!.data!.submitReviews.accepted.map((a: { id: string }) => a.id));
    }
    expect(acknowledged).toHaveLength(10 + 3 * writes.length);

    // The same processes serve on: the stop was shorter than the liveness window.
    await eventually(readsInFull, 30_000, 'reads in full after the stop');
    await sleep(WINDOW_MS / 2);
    expect(stack.processes.map((p) => p.pid), logTail()).toEqual(pids);
    expect(lines.filter((l) => l.includes('liveness'))).toEqual([]);
    expect(await readsInFull()).toBe(true);
    // Every acknowledged review is stored once.
    expect((await listedReviewIds()).sort()).toEqual([...acknowledged].sort());
    expect(failures).toEqual([]);
  }, 120_000);

  it('past the liveness window: the supervisor replaces it on the same port, and the new one serves every acknowledged review', async () => {
    // what the first stop left stored, whatever became of that test
    acknowledged.splice(0, acknowledged.length, ...(await listedReviewIds()));
    acknowledged.push(...(await submitAccepted(5, 'Before the long stop')));
    const first = gateway().pid!;
    stoppedPids.add(first);
    expect(process.kill(first, 'SIGSTOP')).toBe(true);
    const stoppedAt = Date.now();
    const held = gql(PRODUCT_PAGE, { id: productId });
    // It stays stopped until the supervisor has replaced it.
    const replaced = await eventually(async () => {
      const pid = gateway().pid;
      return pid !== first ? pid : undefined;
    }, WINDOW_MS + 60_000, 'the stopped gateway replaced').catch((error) => {
      throw new Error(`${(error as Error).message}\n${logTail()}`);
    });
    stoppedPids.delete(first);
    expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(WINDOW_MS - INTERVAL_MS - 500);
    expect(lines.some((l) => l.includes(`gateway (pid ${first}) did not answer ${FAILURES} liveness checks in a row`) && l.includes('SIGKILL')), logTail()).toBe(true);
    expect(() => process.kill(first, 0)).toThrow();
    // The request the stopped gateway held ended when it died, not at the client's timeout.
    const heldAnswer = await held;
    expect(heldAnswer.error, heldAnswer.text).not.toBeNull();
    expect(heldAnswer.ms).toBeLessThan(CLIENT_TIMEOUT_MS - 5_000);
    console.log(`gateway stopped past the window: replaced after ${Date.now() - stoppedAt} ms; the request it held: ${heldAnswer.error} after ${Math.round(heldAnswer.ms)} ms`);

    // The graph answers again at the same address, with all that was acknowledged before.
    expect(new URL(stack.gatewayUrl).port).toBe(String(stack.ports.gateway));
    await eventually(readsInFull, 60_000, 'reads in full from the new gateway').catch((error) => {
      throw new Error(`${(error as Error).message}\n${logTail()}`);
    });
    expect(lines.some((l) => l.includes(`reviewgraph: gateway is back (pid ${replaced})`))).toBe(true);
    expect((await listedReviewIds()).sort()).toEqual([...acknowledged].sort());
    acknowledged.push(...(await submitAccepted(2, 'After the replacement')));
    expect((await listedReviewIds()).sort()).toEqual([...acknowledged].sort());
    // Only the gateway was replaced; nothing gave up.
    expect(stack.processes.map((p) => p.pid).filter((pid) => !pids.includes(pid))).toEqual([replaced]);
    expect(failures).toEqual([]);
  }, 180_000);
});
