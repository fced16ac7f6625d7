import { fromFieldKey } from '../models/insights.js';
import type { AlertKind, AlertSeverity } from '../models/alert.js';
import type { CountedReview } from '../models/review-state.js';
import type { DayCounts, TrendMonthDocument } from '../models/trend-month.js';

/** The windows, by the UTC day reviews were written: the last 7 days (today included) against the 28 before. */
export const RECENT_DAYS = 7;
export const BASELINE_DAYS = 28;
/** Raise: one-sided two-proportion z-test at z >= 2.33 (p < 0.01), a rise of at least 10 points, and enough reviews in both windows. */
export const RAISE_Z = 2.33;
export const HIGH_Z = 3.09;
export const MIN_RISE = 0.1;
export const MIN_RECENT = 10;
export const MIN_BASELINE = 20;
/** Resolve once the signal is gone: z below 1.645 (p >= 0.05), or too few reviews left to say. */
export const RESOLVE_Z = 1.645;

const DAY_MS = 86_400_000;
const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);
const round = (x: number) => Math.round(x * 10_000) / 10_000;

export interface Signal {
  kind: AlertKind;
  aspect: string | null;
  /** true: raise (or keep); false: resolve if active; null: neither (between the thresholds). */
  firing: boolean | null;
  severity: AlertSeverity;
  evidence: { recentFrom: string; recentTo: string; baselineFrom: string; baselineTo: string; recentCount: number; recentTotal: number; baselineCount: number; baselineTotal: number; recentShare: number; baselineShare: number; z: number };
}

/** Months (`YYYY-MM`) the windows ending on `now`'s day touch. */
export function alertMonths(now: Date): string[] {
  return [...new Set(windowDays(now).all.map((d) => d.month))];
}

interface WindowDay { month: string; day: string }
interface WindowDays { today: number; recent: WindowDay[]; baseline: WindowDay[]; all: WindowDay[] }
let lastWindow: WindowDays | null = null;

/** The days of both windows ending on `now`'s day (kept for the day: every evaluation of a batch asks for them). */
function windowDays(now: Date): WindowDays {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  if (lastWindow?.today === today) return lastWindow;
  const recentStart = today - (RECENT_DAYS - 1) * DAY_MS;
  const days = (from: number, to: number) => {
    const out: WindowDay[] = [];
    for (let t = from; t < to; t += DAY_MS) {
      const iso = isoDay(t);
      out.push({ month: iso.slice(0, 7), day: iso.slice(8, 10) });
    }
    return out;
  };
  const baseline = days(recentStart - BASELINE_DAYS * DAY_MS, recentStart);
  const recent = days(recentStart, today + DAY_MS);
  lastWindow = { today, recent, baseline, all: [...baseline, ...recent] };
  return lastWindow;
}

/** The first day (`YYYY-MM-DD`) the windows ending on `now`'s day hold. */
export function alertWindowStart(now: Date): string {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return isoDay(today - (RECENT_DAYS + BASELINE_DAYS - 1) * DAY_MS);
}

/**
 * Whether a review's change can move what the alerts of its product see on `now`'s day: the daily
 * counts inside the windows, or the negative quotes an alert takes its examples from (a negative
 * mention of any date can push a recent one out of a pool). A review written before the windows,
 * without negative mentions, changes neither.
 */
export function changeReachesAlerts(change: { from: CountedReview | null; to: CountedReview | null }, now: Date): boolean {
  const start = alertWindowStart(now);
  return [change.from, change.to].some((review) => review !== null && (review.submitted.createdAt.slice(0, 10) >= start || (review.analysis?.aspects ?? []).some((m) => m.polarity === 'NEGATIVE')));
}

/** Pooled two-proportion z statistic of x1/n1 against x0/n0 (0 when undefined). */
export function twoProportionZ(x1: number, n1: number, x0: number, n0: number): number {
  if (n1 === 0 || n0 === 0) return 0;
  const pooled = (x1 + x0) / (n1 + n0);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0));
  return se === 0 ? 0 : (x1 / n1 - x0 / n0) / se;
}

/** Every signal of a product on `now`: negative sentiment, low (1-2 star) ratings, and a negative share per aspect. */
export function detectSignals(months: Map<string, TrendMonthDocument>, aspects: readonly string[], now: Date): Signal[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const recentStart = today - (RECENT_DAYS - 1) * DAY_MS;
  const baselineStart = recentStart - BASELINE_DAYS * DAY_MS;
  const window = windowDays(now);
  const days = (list: WindowDay[]) => {
    const out: DayCounts[] = [];
    for (const { month, day } of list) {
      const counts = months.get(month)?.days[day];
      if (counts) out.push(counts);
    }
    return out;
  };
  const recent = days(window.recent);
  const baseline = days(window.baseline);
  const windows = { recentFrom: isoDay(recentStart), recentTo: isoDay(today + DAY_MS), baselineFrom: isoDay(baselineStart), baselineTo: isoDay(recentStart) };
  const sum = (list: DayCounts[], f: (d: DayCounts) => number) => {
    let total = 0;
    for (const d of list) total += f(d);
    return total;
  };
  const analysed = (d: DayCounts) => d.POSITIVE + d.NEUTRAL + d.NEGATIVE;
  const signal = (kind: AlertKind, aspect: string | null, part: (d: DayCounts) => number, total: (d: DayCounts) => number): Signal => {
    const x1 = sum(recent, part), n1 = sum(recent, total), x0 = sum(baseline, part), n0 = sum(baseline, total);
    const z = twoProportionZ(x1, n1, x0, n0);
    const enough = n1 >= MIN_RECENT && n0 >= MIN_BASELINE;
    const rise = n1 > 0 && n0 > 0 ? x1 / n1 - x0 / n0 : 0;
    const firing = enough && z >= RAISE_Z && rise >= MIN_RISE ? true : !enough || z < RESOLVE_Z ? false : null;
    return {
      kind, aspect, firing, severity: z >= HIGH_Z ? 'HIGH' : 'MEDIUM',
      evidence: { ...windows, recentCount: x1, recentTotal: n1, baselineCount: x0, baselineTotal: n0, recentShare: n1 ? round(x1 / n1) : 0, baselineShare: n0 ? round(x0 / n0) : 0, z: round(z) },
    };
  };
  return [
    signal('NEGATIVE_SENTIMENT', null, (d) => d.NEGATIVE, analysed),
    signal('LOW_RATING', null, (d) => d.low ?? 0, (d) => d.count),
    ...aspects.map((key) => signal('ASPECT_NEGATIVE', fromFieldKey(key), (d) => d.aspects[key]?.NEGATIVE ?? 0, analysed)),
  ];
}
