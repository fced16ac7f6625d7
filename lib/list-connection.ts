import type { ListPage } from './list-entries.js';
import { encodeListCursor } from './list-cursor.js';

/** A Relay connection of a keyed list's page, its cursors bound to the list (lib/list-cursor.ts). */
export function listConnection<T, N>(list: { prefix: string; order: string }, page: ListPage<T>, node: (item: T) => N) {
  return {
    edges: page.items.map(({ key, item }) => ({ cursor: encodeListCursor(list.prefix, list.order, key), node: node(item) })),
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endKey === null ? null : encodeListCursor(list.prefix, list.order, page.endKey) },
  };
}
