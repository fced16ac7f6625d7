import type { WebhookEventType } from './webhook.js';

/** GraphQL's WebhookEvent values and the event names deliveries carry. */
export const WEBHOOK_EVENT_BY_ENUM = {
  REVIEW_PUBLISHED: 'review.published',
  REVIEW_ANALYZED: 'review.analyzed',
  ALERT_RAISED: 'alert.raised',
  ALERT_RESOLVED: 'alert.resolved',
} as const satisfies Record<string, WebhookEventType>;

export type WebhookEventEnum = keyof typeof WEBHOOK_EVENT_BY_ENUM;

const ENUM_BY_EVENT = Object.fromEntries(Object.entries(WEBHOOK_EVENT_BY_ENUM).map(([k, v]) => [v, k])) as Record<WebhookEventType, WebhookEventEnum>;

export const eventOfEnum = (value: WebhookEventEnum): WebhookEventType => WEBHOOK_EVENT_BY_ENUM[value];
export const enumOfEvent = (event: WebhookEventType): WebhookEventEnum => ENUM_BY_EVENT[event];
