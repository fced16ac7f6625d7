import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

interface ConsumerStatsLike { pending: number; ackPending: number; redelivered: number; deadLetters: number; oldestPendingAgeMs: number | null }

/** A Prometheus registry for one process, with the process's default metrics and a `service` label. */
export function createMetrics(service: string) {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequests: new Counter({ name: 'reviewgraph_http_requests_total', help: 'HTTP requests by path and status', labelNames: ['path', 'status'], registers: [registry] }),
    httpDuration: new Histogram({ name: 'reviewgraph_http_request_seconds', help: 'HTTP request duration', labelNames: ['path'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [registry] }),
    /** Consumer gauges read from JetStream at scrape time. */
    consumerGauges(read: () => Promise<ConsumerStatsLike>) {
      // One JetStream read serves every gauge of a scrape.
      let cached: { at: number; value: Promise<ConsumerStatsLike | null> } | null = null;
      const stats = () => {
        if (!cached || Date.now() - cached.at > 1_000) cached = { at: Date.now(), value: read().catch(() => null) };
        return cached.value;
      };
      const gauge = (name: string, help: string, pick: (s: ConsumerStatsLike) => number) =>
        new Gauge({
          name, help, registers: [registry],
          async collect() {
            const value = await stats();
            if (value) this.set(pick(value));
          },
        });
      gauge('reviewgraph_consumer_pending', 'Messages waiting for this service', (s) => s.pending);
      gauge('reviewgraph_consumer_ack_pending', 'Messages delivered and not yet acknowledged', (s) => s.ackPending);
      gauge('reviewgraph_consumer_redelivered', 'Messages delivered more than once and not yet acknowledged', (s) => s.redelivered);
      gauge('reviewgraph_consumer_dead_letters', 'Messages in the dead-letter stream', (s) => s.deadLetters);
      gauge('reviewgraph_consumer_oldest_pending_age_seconds', 'Age of the oldest message waiting', (s) => (s.oldestPendingAgeMs ?? 0) / 1000);
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
