import type { Collection } from 'mongodb';
import { findByIds, insertManyIgnoringDuplicates, retryTransient, type Database } from '../../../../lib/mongo.js';
import { moderationPolicyId, type ModerationPolicyDocument, type ReviewSignal, type TextFingerprintDocument } from '../models/moderation.js';

export class ModerationRepository {
  readonly policies: Collection<ModerationPolicyDocument>;
  readonly fingerprints: Collection<TextFingerprintDocument>;

  constructor(private readonly database: Database) {
    this.policies = database.db.collection<ModerationPolicyDocument>('moderation_policies');
    this.fingerprints = database.db.collection<TextFingerprintDocument>('text_fingerprints');
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
}
