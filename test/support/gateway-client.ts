/** A GraphQL response body as tests read it. */
export interface GatewayBody { data?: Record<string, any> | null; errors?: Array<{ message: string; extensions?: Record<string, any> }> }

/** What a client saw of one request to the gateway: the answer, or the network error that ended it (then `status` is 0). */
export interface GatewayAnswer {
  status: number;
  ms: number;
  text: string;
  body: GatewayBody | null;
  error: string | null;
}

/** Posts one GraphQL operation to `url` with an API key; never throws, so a request cut off or timed out is an answer to look at. */
export async function askGateway(url: string, key: string, query: string, variables: Record<string, unknown> = {}, timeoutMs = 30_000): Promise<GatewayAnswer> {
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key },
      body: JSON.stringify({ query, variables }), signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let body: GatewayBody | null = null;
    try {
      body = JSON.parse(text) as GatewayBody;
    } catch {
      // not JSON: `text` shows what came
    }
    return { status: response.status, ms: performance.now() - started, text, body, error: null };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { status: 0, ms: performance.now() - started, text: '', body: null, error: `${(error as Error).message}${cause ? ` (${cause})` : ''}` };
  }
}

/** Posts one GraphQL operation to `url` with an API key and returns its data; throws with the errors when there are any. */
export async function gatewayData(url: string, key: string, query: string, variables: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: Record<string, any>; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data!;
}

/** Posts one GraphQL operation to `url` with an API key and returns the response body as it came. */
export async function gatewayBody(url: string, key: string, query: string, variables: Record<string, unknown> = {}): Promise<GatewayBody> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: JSON.stringify({ query, variables }) });
  return (await response.json()) as GatewayBody;
}
