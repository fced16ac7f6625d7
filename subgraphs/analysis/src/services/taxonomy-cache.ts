import type { Taxonomy } from '../nlp/index.js';
import type { TaxonomyRepository } from '../repositories/taxonomy-repository.js';

/** Tenant taxonomy extensions for the worker, re-read at most every `ttlMs` per (tenant, category). */
export class TaxonomyCache {
  private readonly entries = new Map<string, { at: number; value: Promise<Taxonomy> }>();

  constructor(private readonly repository: TaxonomyRepository, private readonly ttlMs = 30_000) {}

  extensionsFor(tenantId: string, category: string | null): Promise<Taxonomy> {
    const key = `${tenantId}|${category ?? ''}`;
    const hit = this.entries.get(key);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.value;
    const value = this.repository.extensionsFor(tenantId, category);
    this.entries.set(key, { at: Date.now(), value });
    value.catch(() => this.entries.delete(key));
    return value;
  }
}
