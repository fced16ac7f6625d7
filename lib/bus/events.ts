import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/** The one message shape on the bus: routing facts beside an opaque, caller-defined payload. */
export interface EventEnvelope<T = unknown> {
  id: string;
  type: string;
  tenantId: string;
  occurredAt: string;
  requestId?: string;
  data: T;
}

/** Builds an envelope; the id doubles as the JetStream `Nats-Msg-Id`, so pass a stable one to make a retried publish idempotent. */
export function newEvent<T>(
  type: string,
  tenantId: string,
  data: T,
  opts: { id?: string; requestId?: string; occurredAt?: Date } = {},
): EventEnvelope<T> {
  const event: EventEnvelope<T> = {
    id: opts.id ?? randomUUID(),
    type,
    tenantId,
    occurredAt: (opts.occurredAt ?? new Date()).toISOString(),
    data,
  };
  if (opts.requestId !== undefined) event.requestId = opts.requestId;
  return event;
}

const envelopeSchema = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  tenantId: z.string().min(1),
  occurredAt: z.string().min(1),
  requestId: z.string().optional(),
  data: z.unknown(),
});

export type ParsedEnvelope = { ok: true; event: EventEnvelope } | { ok: false; reason: string };

const decoder = new TextDecoder();

/** Decodes a message body; a body that is not an envelope yields the reason instead of throwing. */
export function parseEnvelope(body: Uint8Array): ParsedEnvelope {
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(body));
  } catch (err) {
    return { ok: false, reason: `invalid envelope: body is not JSON (${(err as Error).message})` };
  }
  const result = envelopeSchema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    return { ok: false, reason: `invalid envelope: ${problems.join('; ')}` };
  }
  return { ok: true, event: result.data as EventEnvelope };
}

export function encodeEnvelope(event: EventEnvelope): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(event));
}
