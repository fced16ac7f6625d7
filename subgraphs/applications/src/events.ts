import { z } from 'zod';
import { newEvent, type PublishItem, type StreamSpec } from '../../../lib/bus/index.js';
import type { AlertDocument } from './models/alert.js';

export const ALERT_RAISED = 'alert.raised';
export const ALERT_RESOLVED = 'alert.resolved';
export type AlertEventType = typeof ALERT_RAISED | typeof ALERT_RESOLVED;

/** Where the applications subgraph publishes alert events; a namespace keeps deployments (or test runs) apart. */
export interface AlertTopics { stream: StreamSpec; raised: string; resolved: string }

/** `ALERTS` / `alert.raised`, or `T1_ALERTS` / `t1.alert.raised`. */
export function alertTopics(namespace = ''): AlertTopics {
  if (!/^[a-z0-9_]*$/.test(namespace)) throw new Error(`bus namespace "${namespace}" may hold only a-z, 0-9 and _`);
  const prefix = namespace ? `${namespace}.` : '';
  return {
    stream: { name: namespace ? `${namespace.toUpperCase()}_ALERTS` : 'ALERTS', subjects: [`${prefix}alert.>`] },
    raised: `${prefix}${ALERT_RAISED}`,
    resolved: `${prefix}${ALERT_RESOLVED}`,
  };
}

/** The payload of `alert.raised` and `alert.resolved`: the alert as it stood when the event was made. */
export const alertEventDataSchema = z.object({
  alertId: z.string().min(1),
  productId: z.string().min(1),
  kind: z.enum(['NEGATIVE_SENTIMENT', 'LOW_RATING', 'ASPECT_NEGATIVE']),
  aspect: z.string().nullable(),
  severity: z.enum(['MEDIUM', 'HIGH']),
  status: z.enum(['ACTIVE', 'RESOLVED']),
  raisedAt: z.string(),
  resolvedAt: z.string().nullable(),
  evidence: z.object({
    recentFrom: z.string(), recentTo: z.string(), baselineFrom: z.string(), baselineTo: z.string(),
    recentCount: z.number(), recentTotal: z.number(), baselineCount: z.number(), baselineTotal: z.number(),
    recentShare: z.number(), baselineShare: z.number(), z: z.number(),
    exampleReviewIds: z.array(z.string()),
  }),
});
export type AlertEventData = z.infer<typeof alertEventDataSchema>;

/** The event id is fixed per alert and type, so a republished event is stored once. */
export const alertEventId = (type: AlertEventType, alertId: string) => `${type}:${alertId}`;

/** The bus message of an alert's raise or resolution. */
export function alertEvent(topics: AlertTopics, type: AlertEventType, alert: AlertDocument): PublishItem {
  const data: AlertEventData = {
    alertId: alert._id, productId: alert.productId, kind: alert.kind, aspect: alert.aspect, severity: alert.severity, status: alert.status,
    raisedAt: alert.raisedAt.toISOString(), resolvedAt: alert.resolvedAt?.toISOString() ?? null, evidence: alert.evidence,
  };
  const at = type === ALERT_RAISED ? alert.raisedAt : (alert.resolvedAt ?? alert.updatedAt);
  return { subject: type === ALERT_RAISED ? topics.raised : topics.resolved, event: newEvent(type, alert.tenantId, data, { id: alertEventId(type, alert._id), occurredAt: at }) };
}
