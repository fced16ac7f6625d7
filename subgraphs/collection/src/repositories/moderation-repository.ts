import type { Collection } from 'mongodb';
import { findByIds, insertManyIgnoringDuplicates, retryTransient, type Database } from '../../../../lib/mongo.js';
import { BURST_LIMIT, burstSlotId, moderationPolicyId, type BurstSlotDocument, type ModerationPolicyDocument, type ReviewSignal, type TextFingerprintDocument } from '../models/moderation.js';

export class ModerationRepository {
  readonly policies: Collection<ModerationPolicyDocument>;
  readonly fingerprints: Collection<TextFingerprintDocument>;
  readonly burstSlots: Collection<BurstSlotDocument>;

  constructor(private readonly database: Database) {
    this.policies = database.db.collection<ModerationPolicyDocument>('moderation_policies');
    this.fingerprints = database.db.collection<TextFingerprintDocument>('text_fingerprints');
    this.burstSlots = database.db.collection<BurstSlotDocument>('burst_slots');
  }

  async policyOf(tenantId: string): Promise<ModerationPolicyDocument | null> {
    return this.policies.findOne({ _id: moderationPolicyId(tenantId), tenantId }, { comment: 'moderationPolicy' });
  }

  async setPolicy(tenantId: string, hold: ReviewSignal[], now: Date): Promise<ModerationPolicyDocument> {
    const doc = await retryTransient(() => this.policies.findOneAndUpdate(
      { _id: moderationPolicyId(tenantId), tenantId },
      { $set: { hold, updatedAt: now } },
      { upsert: true, returnDocument: 'after', comment: 'setModerationPolicy' },
    ));
    if (!doc) throw new Error(`moderation policy of ${tenantId} was not stored`);
    return doc;
  }

  /** Claims each fingerprint for its review; returns the review that holds each one (this one, or the first with that text). */
  async claimFingerprints(tenantId: string, claims: ReadonlyArray<{ id: string; reviewId: string }>): Promise<Map<string, string>> {
    const docs = claims.map((c) => ({ _id: c.id, tenantId, reviewId: c.reviewId }));
    const taken = await insertManyIgnoringDuplicates(this.fingerprints, docs);
    const holders = new Map(claims.map((c) => [c.id, c.reviewId]));
    if (taken.size > 0) {
      const stored = await findByIds(this.database, this.fingerprints, tenantId, [...taken].map((i) => docs[i]!._id));
      for (const [id, doc] of stored) holders.set(id, doc.reviewId);
    }
    return holders;
  }

  /**
   * Gives each review one of its (author, hour) key's slots; returns the reviews left without one (a
   * burst). One `_id` read of every slot of the batch's keys, one insert of the slots taken; a slot a
   * concurrent batch took first is looked for again once. A review that holds a slot keeps it.
   */
  async claimBurstSlots(tenantId: string, claims: ReadonlyArray<{ key: string; reviewId: string }>): Promise<Set<string>> {
    const bursts = new Set<string>();
    let waiting = [...claims];
    for (let round = 0; round < 2 && waiting.length > 0; round++) {
      const keys = [...new Set(waiting.map((c) => c.key))];
      const slotsOf = (key: string) => Array.from({ length: BURST_LIMIT }, (_, i) => burstSlotId(key, i + 1));
      const held = await findByIds(this.database, this.burstSlots, tenantId, keys.flatMap(slotsOf));
      const holders = new Set([...held.values()].map((slot) => slot.reviewId));
      const wanted: Array<BurstSlotDocument & { claim: { key: string; reviewId: string } }> = [];
      for (const key of keys) {
        const free = slotsOf(key).filter((id) => !held.has(id));
        for (const claim of waiting.filter((c) => c.key === key && !holders.has(c.reviewId))) {
          const slot = free.shift();
          if (slot === undefined) bursts.add(claim.reviewId);
          else wanted.push({ _id: slot, tenantId, reviewId: claim.reviewId, claim });
        }
      }
      const lost = await insertManyIgnoringDuplicates(this.burstSlots, wanted.map(({ claim: _, ...slot }) => slot));
      waiting = [...lost].map((i) => wanted[i]!.claim);
    }
    for (const claim of waiting) bursts.add(claim.reviewId);
    return bursts;
  }
}
