/** Sends one GraphQL operation to the gateway with an API key; throws (with the start of the body) on any error. */
export async function gql<T = unknown>(url: string, key: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (!response.ok || body.errors) throw new Error(`query failed (${response.status}): ${JSON.stringify(body).slice(0, 300)}`);
  return body.data as T;
}
