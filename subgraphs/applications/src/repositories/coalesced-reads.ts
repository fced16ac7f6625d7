import DataLoader from 'dataloader';

type ReadByIds<T> = (tenantId: string, ids: readonly string[]) => Promise<Map<string, T>>;

interface Key { tenantId: string; id: string }
const keyOf = (k: Key) => `${k.tenantId}\u0000${k.id}`;

/**
 * `read` with the calls made in one tick sharing one call per tenant. Nothing is cached: every
 * caller gets what a read issued after its call returned. The insights consumer evaluates the
 * alerts of every product a batch touched at once, each reading its own insights, months and
 * signals; coalesced, those are a few round trips per batch instead of a few per product.
 */
export function coalesced<T>(read: ReadByIds<T>): ReadByIds<T> {
  const loader = new DataLoader<Key, T | null, string>(async (keys) => {
    const byTenant = new Map<string, string[]>();
    for (const { tenantId, id } of keys) byTenant.set(tenantId, [...(byTenant.get(tenantId) ?? []), id]);
    const found = new Map<string, T>();
    await Promise.all([...byTenant].map(async ([tenantId, ids]) => {
      for (const [id, value] of await read(tenantId, ids)) found.set(keyOf({ tenantId, id }), value);
    }));
    return keys.map((k) => found.get(keyOf(k)) ?? null);
  }, { cache: false, cacheKeyFn: keyOf, maxBatchSize: 1_000 });
  return async (tenantId, ids) => {
    const values = await loader.loadMany(ids.map((id) => ({ tenantId, id })));
    const result = new Map<string, T>();
    for (const [i, value] of values.entries()) {
      if (value instanceof Error) throw value;
      if (value !== null) result.set(ids[i]!, value);
    }
    return result;
  };
}
