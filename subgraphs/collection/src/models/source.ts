import { createHash } from 'node:crypto';

export type SourceKind = 'WEBSITE' | 'RETAILER' | 'APP_STORE' | 'PARTNER' | 'IMPORT';

/**
 * A place reviews come from. Its name is what reviews carry in `source` and is half of their
 * (source, externalId) identity, so it never changes; the kind can.
 */
export interface SourceDocument {
  _id: string;
  tenantId: string;
  name: string;
  kind: SourceKind;
  /** True while the source exists only because a review named it (its kind came from implicitKindFor). */
  implicit: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export const SOURCE_ID_PATTERN = /^src_[0-9a-f]{24}$/;
/** The same rule the review input applies to `source`, so every name a review can carry can be a Source. */
export const SOURCE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9:._-]{0,63}$/;
export const SOURCE_KINDS: readonly SourceKind[] = ['WEBSITE', 'RETAILER', 'APP_STORE', 'PARTNER', 'IMPORT'];

/** Source ids derive from tenant + name: a lookup by name is a point read, and two creations of one name cannot both succeed. */
export function sourceIdFor(tenantId: string, name: string): string {
  return `src_${createHash('sha256').update(`source\u0000${tenantId}\u0000${name}`).digest('hex').slice(0, 24)}`;
}

const PREFIX_KINDS: Record<string, SourceKind> = {
  web: 'WEBSITE', website: 'WEBSITE', site: 'WEBSITE',
  retailer: 'RETAILER', shop: 'RETAILER', store: 'RETAILER',
  app: 'APP_STORE', appstore: 'APP_STORE', app_store: 'APP_STORE', 'app-store': 'APP_STORE', play: 'APP_STORE',
  partner: 'PARTNER',
  import: 'IMPORT', csv: 'IMPORT', file: 'IMPORT',
};

/**
 * The kind of a source created because a review named it: the part before the first `:` (or the
 * whole name) when it is a known word (`retailer:acme` → RETAILER, `app:ios` → APP_STORE,
 * `import:2024` → IMPORT, `web` and the default `api` → WEBSITE), else PARTNER.
 */
export function implicitKindFor(name: string): SourceKind {
  const lower = name.toLowerCase();
  if (lower === 'api') return 'WEBSITE';
  return PREFIX_KINDS[lower.split(':', 1)[0]!] ?? 'PARTNER';
}
