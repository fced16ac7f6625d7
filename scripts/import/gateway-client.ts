/**
 * The importer's calls to the graph: through the gateway with an API key, as any partner would,
 * so rows get the API's validation, tenant, scopes, limits and (source, externalId) idempotency.
 */

export interface ReviewInputRow {
  productId: string; rating: number; text: string; title?: string; author?: string; locale?: string;
  createdAt?: string; externalId: string; source: string; syndicatedFrom?: string;
}
export interface SubmitAnswer {
  accepted: Array<{ index: number; id: string; duplicate: boolean }>;
  rejected: Array<{ index: number; field: string | null; code: string; message: string }>;
}

/** The gateway refused the key or the operation: retrying cannot help. */
export class GatewayRefused extends Error {}
/** The gateway could not be reached or kept failing: the import stops where it is and can be resumed. */
export class GatewayUnavailable extends Error {}

const SUBMIT = `mutation ImportReviews($reviews: [ReviewInput!]!, $key: String) { submitReviews(input: { reviews: $reviews, idempotencyKey: $key }) { accepted { index id duplicate } rejected { index field code message } } }`;
const SOURCE_BY_NAME = `query ImportSource($name: String!) { sourceByName(name: $name) { id name kind } }`;
const CREATE_SOURCE = `mutation ImportCreateSource($name: String!, $kind: SourceKind!) { createSource(input: { name: $name, kind: $kind }) { id name kind } }`;
/** Aliases per SKU lookup; the gateway allows 15 by default. */
const SKUS_PER_CALL = 10;
const RETRIES = 8;

type GraphQLAnswer = { data?: Record<string, any> | null; errors?: Array<{ message: string; extensions?: { code?: string; retryAfterSeconds?: number } }> };

export class GatewayClient {
  constructor(private readonly url: string, private readonly apiKey: string, private readonly signal: AbortSignal, private readonly timeoutMs = 120_000) {}

  /** One GraphQL call, retried with backoff on network errors, 5xx and RATE_LIMITED; refusals throw GatewayRefused. */
  async call(query: string, variables: Record<string, unknown>): Promise<GraphQLAnswer> {
    let lastProblem = '';
    for (let attempt = 0; attempt <= RETRIES; attempt++) {
      let waitMs = Math.min(30_000, 500 * 2 ** attempt);
      try {
        const response = await fetch(this.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': this.apiKey },
          body: JSON.stringify({ query, variables }),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        const body = (await response.json().catch(() => null)) as GraphQLAnswer | null;
        const code = body?.errors?.[0]?.extensions?.code;
        if (response.status === 401 || code === 'UNAUTHENTICATED') throw new GatewayRefused(`the gateway refused the API key (UNAUTHENTICATED): ${body?.errors?.[0]?.message ?? response.statusText}`);
        if (response.status === 403 || code === 'FORBIDDEN') throw new GatewayRefused(`the API key may not do this (FORBIDDEN): ${body?.errors?.[0]?.message ?? response.statusText}`);
        if (response.status === 429 || code === 'RATE_LIMITED') {
          waitMs = Math.max(waitMs, 1000 * Number(response.headers.get('retry-after') ?? body?.errors?.[0]?.extensions?.retryAfterSeconds ?? 1));
          lastProblem = 'rate limited';
        } else if (response.status >= 500 || body === null) {
          lastProblem = `HTTP ${response.status}${body?.errors?.[0] ? `: ${body.errors[0].message}` : ''}`;
        } else if (response.status === 413) {
          throw new GatewayRefused('the gateway refused a batch as too large (HTTP 413): lower --batch-size');
        } else {
          return body;
        }
      } catch (error) {
        if (error instanceof GatewayRefused) throw error;
        lastProblem = (error as Error).message;
      }
      if (this.signal.aborted || attempt === RETRIES) break;
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
    throw new GatewayUnavailable(`the gateway at ${this.url} did not answer (${lastProblem})`);
  }

  private async data(query: string, variables: Record<string, unknown>): Promise<Record<string, any>> {
    const answer = await this.call(query, variables);
    if (answer.errors?.length || !answer.data) {
      const first = answer.errors?.[0];
      throw new GatewayRefused(`the gateway answered ${first?.extensions?.code ?? 'an error'}: ${first?.message ?? 'no data'}`);
    }
    return answer.data;
  }

  /**
   * One submitReviews call. With an idempotency key, a batch the gateway stored but whose answer was
   * lost (a timeout, a crash of the importer) gets the first call's answer when sent again. A key
   * the API refuses for this payload (another run's batch at the same place) is dropped: the
   * (source, externalId) identity still keeps a resent row from being stored twice.
   */
  async submit(reviews: ReviewInputRow[], idempotencyKey?: string): Promise<SubmitAnswer> {
    let key = idempotencyKey ?? null;
    for (let attempt = 0; ; attempt++) {
      const answer = await this.call(SUBMIT, { reviews, key });
      const code = answer.errors?.[0]?.extensions?.code;
      if (code === 'IDEMPOTENCY_KEY_REUSED' && key !== null) {
        key = null;
        continue;
      }
      if (code === 'IDEMPOTENCY_KEY_IN_USE' && attempt < RETRIES) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        continue;
      }
      if (answer.errors?.length || !answer.data) {
        const first = answer.errors?.[0];
        throw new GatewayRefused(`the gateway answered ${first?.extensions?.code ?? 'an error'}: ${first?.message ?? 'no data'}`);
      }
      return answer.data.submitReviews as SubmitAnswer;
    }
  }

  /** The import's source, created with `kind` when the tenant has none of that name. */
  async ensureSource(name: string, kind: string): Promise<{ id: string; name: string; kind: string; created: boolean }> {
    const found = (await this.data(SOURCE_BY_NAME, { name })).sourceByName;
    if (found) return { ...found, created: false };
    const answer = await this.call(CREATE_SOURCE, { name, kind });
    if (answer.data?.createSource) return { ...answer.data.createSource, created: true };
    if (answer.errors?.[0]?.extensions?.code === 'CONFLICT') return { ...(await this.data(SOURCE_BY_NAME, { name })).sourceByName, created: false };
    throw new GatewayRefused(`could not create source ${name}: ${answer.errors?.[0]?.message ?? 'no data'}`);
  }

  /** Product ids of SKUs (null: no such product in the tenant), a few SKUs per call. */
  async productIdsBySku(skus: readonly string[]): Promise<Map<string, string | null>> {
    const found = new Map<string, string | null>();
    for (let i = 0; i < skus.length; i += SKUS_PER_CALL) {
      const group = skus.slice(i, i + SKUS_PER_CALL);
      const query = `query ImportSkus(${group.map((_, j) => `$s${j}: String!`).join(', ')}) { ${group.map((_, j) => `p${j}: productBySku(sku: $s${j}) { id }`).join(' ')} }`;
      const data = await this.data(query, Object.fromEntries(group.map((sku, j) => [`s${j}`, sku])));
      group.forEach((sku, j) => found.set(sku, data[`p${j}`]?.id ?? null));
    }
    return found;
  }
}
