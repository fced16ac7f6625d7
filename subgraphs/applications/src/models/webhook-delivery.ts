import type { WebhookEventType } from './webhook.js';

export type DeliveryStatus = 'PENDING' | 'DELIVERED' | 'FAILED' | 'CANCELLED';
export type AttemptStatus = 'DELIVERED' | 'RETRYING' | 'FAILED' | 'CANCELLED';

/** One event to deliver to one webhook: made once by the fan-out, then moved on only by the delivery process. */
export interface WebhookDeliveryDocument {
  _id: string;
  tenantId: string;
  webhookId: string;
  eventId: string;
  eventType: WebhookEventType;
  /** The exact JSON body every attempt sends (and signs). */
  body: string;
  status: DeliveryStatus;
  attempts: number;
  createdAt: Date;
  updatedAt: Date;
}

/** A delivery still to attempt; the queue holds only those, and its lanes (models/webhook-due.ts) say what is due. */
export interface WebhookQueueDocument {
  _id: string;
  tenantId: string;
  webhookId: string;
  /** Attempts already made. */
  attempts: number;
  dueAt: Date;
  /** Its place in the webhook's lane (models/webhook-due.ts), written before this entry names it. */
  dueKey?: string;
}

/** One attempt, the delivery log's row; its `_id` is its key in the webhook's log (newest first). */
export interface WebhookAttemptDocument {
  _id: string;
  tenantId: string;
  webhookId: string;
  deliveryId: string;
  eventId: string;
  eventType: WebhookEventType;
  attempt: number;
  status: AttemptStatus;
  httpStatus: number | null;
  latencyMs: number | null;
  error: string | null;
  attemptedAt: Date;
  nextAttemptAt: Date | null;
}
