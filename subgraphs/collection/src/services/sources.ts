import { GraphQLError } from 'graphql';
import { BadUserInputError } from '../../../../lib/errors.js';
import { implicitKindFor, SOURCE_ID_PATTERN, SOURCE_KINDS, SOURCE_NAME_PATTERN, sourceIdFor, type SourceDocument, type SourceKind } from '../models/source.js';
import type { SourceRepository } from '../repositories/source-repository.js';

/** How many (tenant, name) pairs a process remembers as stored; sources are never deleted, so a remembered one stays true. */
const KNOWN_LIMIT = 10_000;

/**
 * A tenant's sources. Reviews name their source by `name`; a name no Source has yet becomes one
 * (kind from implicitKindFor, marked implicit) when the first review naming it is stored, so every
 * review points at a Source and old reviews keep their (source, externalId) identity.
 */
export class Sources {
  private readonly known = new Set<string>();

  constructor(private readonly repository: SourceRepository) {}

  /** Makes sure every name is a stored Source of the tenant; after the first time, a name costs no database call. */
  async ensureNamed(tenantId: string, names: Iterable<string>, now = new Date()): Promise<void> {
    const missing = [...new Set(names)].filter((name) => !this.known.has(`${tenantId}\u0000${name}`));
    if (missing.length === 0) return;
    await this.repository.insertNew(missing.map((name) => ({ _id: sourceIdFor(tenantId, name), tenantId, name, kind: implicitKindFor(name), implicit: true, createdAt: now, updatedAt: now })));
    if (this.known.size + missing.length > KNOWN_LIMIT) this.known.clear();
    for (const name of missing) this.known.add(`${tenantId}\u0000${name}`);
  }

  /** Sources by name, in the order asked; a name no source has yet is created as ensureNamed does (reviews stored before sources existed). */
  async byNames(tenantId: string, names: readonly string[]): Promise<SourceDocument[]> {
    const ids = names.map((name) => sourceIdFor(tenantId, name));
    let found = await this.repository.findByIds(tenantId, ids);
    const missing = names.filter((_, i) => !found.has(ids[i]!));
    if (missing.length > 0) {
      missing.forEach((name) => this.known.delete(`${tenantId}\u0000${name}`));
      await this.ensureNamed(tenantId, missing);
      found = await this.repository.findByIds(tenantId, ids);
    }
    return ids.map((id, i) => {
      const source = found.get(id);
      if (!source) throw new Error(`source ${names[i]} of tenant ${tenantId} could not be stored`);
      return source;
    });
  }

  findByIds(tenantId: string, ids: readonly string[]): Promise<Map<string, SourceDocument>> {
    return this.repository.findByIds(tenantId, ids.filter((id) => SOURCE_ID_PATTERN.test(id)));
  }

  listPage(tenantId: string, first: number, afterKey: string | null) {
    return this.repository.listPage(tenantId, first, afterKey);
  }

  async findByName(tenantId: string, name: string): Promise<SourceDocument | null> {
    if (!SOURCE_NAME_PATTERN.test(name)) return null;
    return (await this.repository.findByIds(tenantId, [sourceIdFor(tenantId, name)])).values().next().value ?? null;
  }

  /**
   * Creates a source. A name only reviews have used so far is taken over (it keeps its id, gets the
   * kind given); a name created before is a CONFLICT.
   */
  async create(tenantId: string, input: { name: string; kind: SourceKind }, now = new Date()): Promise<SourceDocument> {
    const name = validName(input.name);
    const kind = validKind(input.kind);
    const id = sourceIdFor(tenantId, name);
    const existing = await this.repository.insertNew([{ _id: id, tenantId, name, kind, implicit: false, createdAt: now, updatedAt: now }]);
    this.known.add(`${tenantId}\u0000${name}`);
    if (existing.size === 0) return (await this.repository.findByIds(tenantId, [id])).get(id)!;
    const stored = (await this.repository.findByIds(tenantId, [id])).get(id);
    if (stored?.implicit) {
      const claimed = await this.repository.claimImplicit(tenantId, id, kind, now);
      if (claimed) return claimed;
    }
    throw new GraphQLError(`a source named "${name}" already exists (id ${id}); change its kind with updateSource`, { extensions: { code: 'CONFLICT', id } });
  }

  /** Changes a source's kind; its name never changes (reviews' identity depends on it). */
  async update(tenantId: string, input: { id: string; kind: SourceKind }, now = new Date()): Promise<SourceDocument> {
    const kind = validKind(input.kind);
    const updated = SOURCE_ID_PATTERN.test(input.id) ? await this.repository.updateKind(tenantId, input.id, kind, now) : null;
    if (!updated) throw new GraphQLError(`no source with id ${input.id.slice(0, 40)} in this tenant`, { extensions: { code: 'NOT_FOUND', argument: 'id' } });
    return updated;
  }
}

function validName(name: string): string {
  const trimmed = name.trim();
  if (!SOURCE_NAME_PATTERN.test(trimmed)) {
    throw new BadUserInputError('a source name is 1 to 64 letters, digits and : . _ - starting with a letter or digit, e.g. partner:acme', { field: 'name' });
  }
  return trimmed;
}

function validKind(kind: string): SourceKind {
  if (!(SOURCE_KINDS as readonly string[]).includes(kind)) throw new BadUserInputError(`kind must be one of ${SOURCE_KINDS.join(', ')}`, { field: 'kind' });
  return kind as SourceKind;
}
