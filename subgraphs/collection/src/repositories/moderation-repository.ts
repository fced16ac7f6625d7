import { randomBytes } from 'node:crypto';
import type { Collection } from 'mongodb';
import { listPageFilter } from '../../../../lib/list-key.js';
import { findByIds, insertManyIgnoringDuplicates, retryTransient, type Database } from '../../../../lib/mongo.js';
import { statusChangeId, statusChangesPrefix, type StatusChangeDocument } from '../models/status-change.js';
import { BURST_LIMIT, burstSlotId, moderationPolicyId, sourceArrivalBlockId, type BurstSlotDocument, type ModerationPolicyDocument, type ReviewSignal, type SourceArrivalBlockDocument, type TextFingerprintDocument } from '../models/moderation.js';

/** Rounds of "another batch appended first" before a batch gives up on its place in a source's hour. */
const MAX_ARRIVAL_ROUNDS = 50;
/** Newest blocks remembered per process (a new hour is a new key; older ones are simply forgotten). */
const MAX_ARRIVAL_HINTS = 10_000;

type StoredBlock = SourceArrivalBlockDocument & { claim: string };

export class ModerationRepository {
  readonly policies: Collection<ModerationPolicyDocument>;
  readonly fingerprints: Collection<TextFingerprintDocument>;
  readonly burstSlots: Collection<BurstSlotDocument>;
  readonly sourceArrivals: Collection<StoredBlock>;
  readonly statusChanges: Collection<StatusChangeDocument>;
  /**
   * The newest arrival block this process knows per (source, hour) key: where the next append is
   * tried first. Only a hint: a block another process appended meanwhile makes the insert a
   * duplicate, and the newest block is then read.
   */
  private readonly arrivalHints = new Map<string, { seq: number; to: number }>();

  constructor(private readonly database: Database) {
    this.policies = database.db.collection<ModerationPolicyDocument>('moderation_policies');
    this.fingerprints = database.db.collection<TextFingerprintDocument>('text_fingerprints');
    this.burstSlots = database.db.collection<BurstSlotDocument>('burst_slots');
    this.sourceArrivals = database.db.collection<StoredBlock>('source_arrivals');
    this.statusChanges = database.db.collection<StatusChangeDocument>('status_changes');
  }

  /**
   * Stores status changes, one insert for the batch; returns the indexes of those whose number another
   * writer took first (a change this writer stored itself, its insert retried, is not among them).
   */
  async claimStatusChanges(tenantId: string, changes: readonly StatusChangeDocument[]): Promise<Set<number>> {
    const duplicates = await insertManyIgnoringDuplicates(this.statusChanges, changes);
    if (duplicates.size === 0) return duplicates;
    const stored = await findByIds(this.database, this.statusChanges, tenantId, [...duplicates].map((i) => changes[i]!._id));
    return new Set([...duplicates].filter((i) => stored.get(changes[i]!._id)?.claim !== changes[i]!.claim));
  }

  /**
   * The newest stored status change of each review after the number its document shows, if any: one
   * `_id` read per step forward for the whole batch (nearly always one, finding none).
   */
  async statusChangesAfter(tenantId: string, reviews: ReadonlyArray<{ reviewId: string; moderation: number }>): Promise<Map<string, StatusChangeDocument>> {
    const newest = new Map<string, StatusChangeDocument>();
    let open = reviews.map((r) => ({ reviewId: r.reviewId, next: r.moderation + 1 }));
    while (open.length > 0) {
      const found = await findByIds(this.database, this.statusChanges, tenantId, open.map((r) => statusChangeId(tenantId, r.reviewId, r.next)));
      const step: typeof open = [];
      for (const r of open) {
        const change = found.get(statusChangeId(tenantId, r.reviewId, r.next));
        if (!change) continue;
        newest.set(r.reviewId, change);
        step.push({ reviewId: r.reviewId, next: r.next + 1 });
      }
      open = step;
    }
    return newest;
  }

  /**
   * Deletes every status change of these reviews: one `_id` range delete per review (a statement
   * each, in one command), served by the `_id` index, so a deletion costs the changes it removes.
   */
  async removeStatusChanges(tenantId: string, reviewIds: readonly string[]): Promise<void> {
    const unique = [...new Set(reviewIds)];
    if (unique.length === 0) return;
    await retryTransient(() => this.statusChanges.bulkWrite(unique.map((reviewId) => ({
      deleteMany: { filter: { ...listPageFilter<StatusChangeDocument>(statusChangesPrefix(tenantId, reviewId), 1, null), tenantId } },
    })), { ordered: false, comment: 'removeStatusChanges' }));
  }

  async policyOf(tenantId: string): Promise<ModerationPolicyDocument | null> {
    return this.policies.findOne({ _id: moderationPolicyId(tenantId), tenantId }, { comment: 'moderationPolicy' });
  }

  /** Sets the policy's hold list, and its source burst limit when given (otherwise the stored one stays). */
  async setPolicy(tenantId: string, hold: ReviewSignal[], now: Date, sourceBurstLimit?: number): Promise<ModerationPolicyDocument> {
    const doc = await retryTransient(() => this.policies.findOneAndUpdate(
      { _id: moderationPolicyId(tenantId), tenantId },
      { $set: { hold, updatedAt: now, ...(sourceBurstLimit === undefined ? {} : { sourceBurstLimit }) } },
      { upsert: true, returnDocument: 'after', comment: 'setModerationPolicy' },
    ));
    if (!doc) throw new Error(`moderation policy of ${tenantId} was not stored`);
    return doc;
  }

  /**
   * Claims each fingerprint for its review; returns the review that holds each one (this one, or the
   * first with that text), and the claims whose fingerprint was already stored (by an earlier call,
   * or by an earlier claim of this one).
   */
  async claimFingerprints(tenantId: string, claims: ReadonlyArray<{ id: string; reviewId: string }>): Promise<{ holders: Map<string, string>; taken: Set<number> }> {
    const docs = claims.map((c) => ({ _id: c.id, tenantId, reviewId: c.reviewId }));
    const taken = await insertManyIgnoringDuplicates(this.fingerprints, docs);
    const holders = new Map(claims.map((c) => [c.id, c.reviewId]));
    if (taken.size > 0) {
      const stored = await findByIds(this.database, this.fingerprints, tenantId, [...taken].map((i) => docs[i]!._id));
      for (const [id, doc] of stored) holders.set(id, doc.reviewId);
    }
    return { holders, taken };
  }

  /**
   * Gives up the fingerprints these reviews hold (a review deleted, or edited to other words), so a
   * later review with those words is no near-duplicate of a text that is gone. Only the holder's own
   * claim goes: a fingerprint another review holds is left as it is.
   */
  async releaseFingerprints(tenantId: string, claims: ReadonlyArray<{ id: string; reviewId: string }>): Promise<void> {
    if (claims.length === 0) return;
    await retryTransient(() => this.fingerprints.bulkWrite(claims.map((c) => ({
      deleteOne: { filter: { _id: c.id, tenantId, reviewId: c.reviewId } },
    })), { ordered: false, comment: 'releaseFingerprints' }));
  }

  /**
   * Appends `count` arrivals to each (source, hour) key's chain of blocks (models/moderation.ts);
   * returns the ordinal of each key's first arrival of this batch. One insert for the whole batch
   * when this process knows the newest blocks; a key whose next block another writer took first
   * reads its newest block (one range read, by `_id`) and tries after it.
   */
  async appendSourceArrivals(tenantId: string, claims: ReadonlyArray<{ key: string; count: number }>, now: Date): Promise<Map<string, number>> {
    const firsts = new Map<string, number>();
    let waiting = claims.filter((c) => c.count > 0);
    for (let round = 0; waiting.length > 0; round++) {
      if (round >= MAX_ARRIVAL_ROUNDS) throw new Error(`source arrivals of tenant ${tenantId} kept moving under concurrent batches`);
      if (round > 0) {
        await Promise.all(waiting.map(async (c) => {
          const newest = await this.newestArrivalBlock(c.key);
          this.arrivalHints.set(c.key, { seq: newest?.seq ?? 0, to: newest?.to ?? 0 });
        }));
      }
      const claim = randomBytes(8).toString('hex');
      const docs: StoredBlock[] = waiting.map((c) => {
        const newest = this.arrivalHints.get(c.key) ?? { seq: 0, to: 0 };
        return { _id: sourceArrivalBlockId(c.key, newest.seq + 1), tenantId, seq: newest.seq + 1, from: newest.to + 1, to: newest.to + c.count, at: now, claim };
      });
      const duplicates = await insertManyIgnoringDuplicates(this.sourceArrivals, docs);
      // A duplicate may be this call's own insert retried after an unclear failure: read those back.
      const stored = duplicates.size > 0 ? await findByIds(this.database, this.sourceArrivals, tenantId, [...duplicates].map((i) => docs[i]!._id)) : new Map<string, StoredBlock>();
      const lost: typeof waiting = [];
      docs.forEach((doc, i) => {
        const ours = !duplicates.has(i) || stored.get(doc._id)?.claim === claim;
        if (ours) {
          firsts.set(waiting[i]!.key, doc.from);
          this.rememberNewest(waiting[i]!.key, doc);
        } else {
          lost.push(waiting[i]!);
        }
      });
      waiting = lost;
    }
    return firsts;
  }

  private async newestArrivalBlock(key: string): Promise<StoredBlock | null> {
    const [newest] = await retryTransient(() => this.sourceArrivals.find(listPageFilter<StoredBlock>(key, -1, null), { sort: { _id: -1 }, limit: 1, comment: 'newestSourceArrivals' }).toArray());
    return newest ?? null;
  }

  private rememberNewest(key: string, block: Pick<SourceArrivalBlockDocument, 'seq' | 'to'> | null): void {
    if (!block) return;
    const known = this.arrivalHints.get(key);
    if (known && known.seq >= block.seq) return;
    if (this.arrivalHints.size >= MAX_ARRIVAL_HINTS) this.arrivalHints.clear();
    this.arrivalHints.set(key, { seq: block.seq, to: block.to });
  }

  /**
   * Gives each review one of its (author, hour) key's slots; returns the reviews left without one (a
   * burst). Slots are taken lowest first and never given back, so a key whose first slot is free holds
   * none: one `_id` read of every key's first slot, a second of the other slots of the keys whose
   * first is held, one insert of the slots taken; a slot a concurrent batch took first is looked for
   * again once. A review that holds a slot keeps it.
   */
  async claimBurstSlots(tenantId: string, claims: ReadonlyArray<{ key: string; reviewId: string }>): Promise<Set<string>> {
    const bursts = new Set<string>();
    let waiting = [...claims];
    for (let round = 0; round < 2 && waiting.length > 0; round++) {
      const byKey = new Map<string, string[]>();
      for (const c of waiting) {
        const reviewIds = byKey.get(c.key);
        if (reviewIds) reviewIds.push(c.reviewId);
        else byKey.set(c.key, [c.reviewId]);
      }
      const held = await this.heldBurstSlots(tenantId, [...byKey.keys()]);
      const holders = new Set([...held.values()].map((slot) => slot.reviewId));
      const wanted: Array<BurstSlotDocument & { claim: { key: string; reviewId: string } }> = [];
      for (const [key, reviewIds] of byKey) {
        const free = Array.from({ length: BURST_LIMIT }, (_, i) => burstSlotId(key, i + 1)).filter((id) => !held.has(id));
        for (const reviewId of reviewIds) {
          if (holders.has(reviewId)) continue;
          const slot = free.shift();
          if (slot === undefined) bursts.add(reviewId);
          else wanted.push({ _id: slot, tenantId, reviewId, claim: { key, reviewId } });
        }
      }
      const lost = await insertManyIgnoringDuplicates(this.burstSlots, wanted.map(({ claim: _, ...slot }) => slot));
      waiting = [...lost].map((i) => wanted[i]!.claim);
    }
    for (const claim of waiting) bursts.add(claim.reviewId);
    return bursts;
  }

  /** The stored slots of these keys: their first slots, then the rest of the keys whose first is held. */
  private async heldBurstSlots(tenantId: string, keys: readonly string[]): Promise<Map<string, BurstSlotDocument>> {
    const held = await findByIds(this.database, this.burstSlots, tenantId, keys.map((key) => burstSlotId(key, 1)));
    const busy = keys.filter((key) => held.has(burstSlotId(key, 1)));
    if (busy.length === 0) return held;
    const rest = await findByIds(this.database, this.burstSlots, tenantId, busy.flatMap((key) => Array.from({ length: BURST_LIMIT - 1 }, (_, i) => burstSlotId(key, i + 2))));
    for (const [id, slot] of rest) held.set(id, slot);
    return held;
  }
}
