import { alertId, alertSignalId, type AlertDocument } from '../models/alert.js';
import { insightsId, type InsightsDocument } from '../models/insights.js';
import { trendMonthId, type TrendMonthDocument } from '../models/trend-month.js';
import type { AlertRepository } from '../repositories/alert-repository.js';
import type { InsightsRepository } from '../repositories/insights-repository.js';
import { ALERT_RAISED, ALERT_RESOLVED } from '../events.js';
import { alertMonths, detectSignals } from './alert-detection.js';
import type { AlertEvents } from './alert-events.js';

const EXAMPLES = 3;

/** Documents a caller just wrote and holds, by `_id`: the evaluation reads only the rest. */
export interface WrittenAggregates { products: ReadonlyMap<string, InsightsDocument>; months: ReadonlyMap<string, TrendMonthDocument> }

/**
 * Re-evaluates a product's alert signals against its own baseline: raises an alert for a signal
 * that fires and has none active (one per incarnation: its id is fixed, so two evaluators raise it
 * once), refreshes the evidence of an active one, and resolves an active one whose signal is gone.
 */
export async function evaluateAlerts(repos: { insights: InsightsRepository; alerts: AlertRepository; events?: AlertEvents }, tenantId: string, productId: string, now = new Date(), written?: WrittenAggregates): Promise<void> {
  const insights = written?.products.get(insightsId(tenantId, productId)) ?? (await repos.insights.findByProductIds(tenantId, [productId])).get(productId);
  if (!insights) return;
  const months = new Map<string, TrendMonthDocument>();
  const unread: string[] = [];
  for (const month of alertMonths(now)) {
    const doc = written?.months.get(trendMonthId(tenantId, productId, month));
    if (doc) months.set(month, doc);
    else unread.push(month);
  }
  if (unread.length > 0) for (const [month, doc] of await repos.insights.findMonths(tenantId, productId, unread)) months.set(month, doc);
  const signals = detectSignals(months, Object.keys(insights.aspects), now);
  const signalIds = signals.map((s) => alertSignalId(tenantId, productId, s.kind, s.aspect));
  const states = await repos.alerts.findSignals(tenantId, signalIds);
  const activeIds = signals.flatMap((s, i) => {
    const state = states.get(signalIds[i]!);
    return state?.active ? [alertId(tenantId, productId, s.kind, s.aspect, state.incarnation)] : [];
  });
  const active = await repos.alerts.findByIds(tenantId, activeIds);
  const recentFrom = signals[0]?.evidence.recentFrom ?? '';
  const examples = (aspect: string | null) => {
    const pools = aspect === null ? Object.values(insights.quotes) : [insights.quotes[encodeURIComponent(aspect).replace(/\./g, '%2E')] ?? { POSITIVE: [], NEGATIVE: [] }];
    const quotes = pools.flatMap((p) => p.NEGATIVE).filter((q) => q.createdAt.slice(0, 10) >= recentFrom).sort((a, b) => b.score - a.score || (a.reviewId < b.reviewId ? -1 : 1));
    return [...new Set(quotes.map((q) => q.reviewId))].slice(0, EXAMPLES);
  };
  for (const [i, signal] of signals.entries()) {
    const id = signalIds[i]!;
    const state = states.get(id) ?? { _id: id, tenantId, incarnation: 0, active: false };
    const latest = state.active ? active.get(alertId(tenantId, productId, signal.kind, signal.aspect, state.incarnation)) : undefined;
    const current = latest?.status === 'ACTIVE' ? latest : undefined;
    const evidence = { ...signal.evidence, exampleReviewIds: examples(signal.aspect) };
    if (signal.firing === true && !current) {
      const incarnation = state.incarnation + 1;
      const alert: AlertDocument = { _id: alertId(tenantId, productId, signal.kind, signal.aspect, incarnation), tenantId, productId, kind: signal.kind, aspect: signal.aspect, incarnation, status: 'ACTIVE', severity: signal.severity, raisedAt: now, resolvedAt: null, updatedAt: now, evidence };
      await repos.events?.record(ALERT_RAISED, alert, now);
      await repos.alerts.raise(alert);
      await repos.alerts.setSignal({ ...state, incarnation, active: true });
      await repos.events?.publish(ALERT_RAISED, alert);
    } else if (signal.firing === true && current) {
      // updatedAt says when the alert last changed: an evaluation that finds the same evidence writes nothing.
      if (current.severity !== signal.severity || JSON.stringify(current.evidence) !== JSON.stringify(evidence)) await repos.alerts.refresh(current, { severity: signal.severity, evidence, updatedAt: now });
    } else if (signal.firing === false && current) {
      await repos.events?.record(ALERT_RESOLVED, current, now);
      await repos.alerts.resolve(current, now);
      await repos.alerts.setSignal({ ...state, active: false });
      await repos.events?.publish(ALERT_RESOLVED, { ...current, status: 'RESOLVED', resolvedAt: now, updatedAt: now });
    } else if (signal.firing === false && state.active) {
      // The signal says active but its alert is gone or resolved: settle the signal.
      await repos.alerts.setSignal({ ...state, active: false });
    }
  }
}
