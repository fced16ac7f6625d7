import { createHash, randomBytes } from 'node:crypto';

/** The events a partner can subscribe to, as named in deliveries. */
export const WEBHOOK_EVENTS = ['review.published', 'review.analyzed', 'alert.raised', 'alert.resolved'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

/** A signing secret; an old one stays valid (and is still used to sign) until `expiresAt`. */
export interface WebhookSecret { value: string; createdAt: Date; expiresAt: Date | null }

/** A partner's subscription, written only by its owner's mutations. */
export interface WebhookDocument {
  _id: string;
  tenantId: string;
  url: string;
  events: WebhookEventType[];
  description: string | null;
  /** Whether the owner wants deliveries. */
  enabled: boolean;
  /** When the owner last enabled it (or created it): an automatic disabling from before no longer holds. */
  enabledAt: Date;
  /** Newest first. */
  secrets: WebhookSecret[];
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

/** How deliveries to a webhook are going, written only by the delivery process (so the two writers never race on one document). */
export interface WebhookHealthDocument {
  _id: string;
  tenantId: string;
  consecutiveFailures: number;
  failingSince: Date | null;
  lastError: string | null;
  disabledAt: Date | null;
  disabledReason: string | null;
  updatedAt: Date;
}

export const newWebhookId = () => `wh_${randomBytes(12).toString('hex')}`;
export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

/** A delivery's id is fixed per webhook and event, so a redelivered event makes the same delivery. */
export const deliveryIdOf = (webhookId: string, eventId: string) => `whd_${createHash('sha256').update(`${webhookId}\u0000${eventId}`).digest('hex').slice(0, 24)}`;

/** The secrets deliveries are signed with at `now`: the current one and any still in its overlap window. */
export function signingSecrets(webhook: WebhookDocument, now: Date): string[] {
  return webhook.secrets.filter((s) => s.expiresAt === null || s.expiresAt.getTime() > now.getTime()).map((s) => s.value);
}

/** Whether deliveries go out: the owner enabled it and no automatic disabling happened since. */
export function isDeliverable(webhook: WebhookDocument, health: WebhookHealthDocument | undefined): boolean {
  return webhook.enabled && !(health?.disabledAt && health.disabledAt.getTime() >= webhook.enabledAt.getTime());
}
