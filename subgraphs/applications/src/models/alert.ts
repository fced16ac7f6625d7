import { createHash } from 'node:crypto';

export type AlertKind = 'NEGATIVE_SENTIMENT' | 'LOW_RATING' | 'ASPECT_NEGATIVE';
export type AlertStatus = 'ACTIVE' | 'RESOLVED';
export type AlertSeverity = 'MEDIUM' | 'HIGH';

/** What backs an alert: the two windows, their counts, shares and the test's statistic. */
export interface AlertEvidence {
  recentFrom: string; recentTo: string; baselineFrom: string; baselineTo: string;
  recentCount: number; recentTotal: number; baselineCount: number; baselineTotal: number;
  recentShare: number; baselineShare: number; z: number;
  exampleReviewIds: string[];
}

/** One raised alert (an incarnation of its signal): insert-only under a deterministic id, then updated while active and once resolved. */
export interface AlertDocument {
  _id: string;
  tenantId: string;
  productId: string;
  kind: AlertKind;
  aspect: string | null;
  incarnation: number;
  status: AlertStatus;
  severity: AlertSeverity;
  raisedAt: Date;
  resolvedAt: Date | null;
  updatedAt: Date;
  evidence: AlertEvidence;
}

/** The signal of a product (kind, aspect): which incarnation is the latest and whether it is active. */
export interface AlertSignalDocument { _id: string; tenantId: string; incarnation: number; active: boolean }

function signalHash(tenantId: string, productId: string, kind: AlertKind, aspect: string | null): string {
  return createHash('sha256').update(`${tenantId}\u0000${productId}\u0000${kind}\u0000${aspect ?? ''}`).digest('hex').slice(0, 24);
}

export const alertSignalId = (tenantId: string, productId: string, kind: AlertKind, aspect: string | null) => `as_${signalHash(tenantId, productId, kind, aspect)}`;
export const alertId = (tenantId: string, productId: string, kind: AlertKind, aspect: string | null, incarnation: number) => `al_${signalHash(tenantId, productId, kind, aspect)}_${incarnation}`;
