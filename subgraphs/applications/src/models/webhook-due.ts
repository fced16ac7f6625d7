import { listKey, textPart, timePart } from '../../../../lib/list-key.js';

/**
 * A queued delivery's place in its webhook's lane, keyed `wd|<tenant>|<webhook>|<dueAt>|<delivery>`:
 * what a webhook has due is one `_id` range read, soonest first, however long its backlog. The queue
 * entry (keyed by delivery) stays the truth and names its current place (`dueKey`); a place that its
 * entry does not name is left over from a step cut short, and is dropped once old.
 */
export interface WebhookDueDocument {
  _id: string;
  tenantId: string;
  webhookId: string;
  deliveryId: string;
  dueAt: Date;
  createdAt: Date;
}

/**
 * A webhook that has (`active`) or had queued deliveries, keyed `wl|<tenant>|<webhook>`: the queue
 * poll reads the lanes in one `_id` range and then only the active ones.
 */
export interface WebhookLaneDocument {
  _id: string;
  tenantId: string;
  webhookId: string;
  active: boolean;
}

export function lanePrefix(tenantId: string, webhookId: string): string {
  return listKey('wd', textPart(tenantId), textPart(webhookId));
}

export function dueEntry(tenantId: string, webhookId: string, deliveryId: string, dueAt: Date, createdAt: Date): WebhookDueDocument {
  return { _id: listKey(lanePrefix(tenantId, webhookId), timePart(dueAt), textPart(deliveryId)), tenantId, webhookId, deliveryId, dueAt, createdAt };
}

export function laneId(tenantId: string, webhookId: string): string {
  return listKey('wl', textPart(tenantId), textPart(webhookId));
}

/** The `_id` range of every lane. */
export const LANES_RANGE = { $gt: 'wl|', $lt: 'wl}' } as const;

/** Present once queue entries stored before the lanes existed have their places (outside the lanes' range). */
export const LANES_BACKFILL_MARKER = 'wl-backfilled';
