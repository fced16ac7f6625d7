import { BadUserInputError } from '../../../../lib/errors.js';
import { fromFieldKey, type AspectCounts } from '../models/insights.js';
import type { DayCounts, TrendMonthDocument } from '../models/trend-month.js';

export type Granularity = 'DAY' | 'WEEK' | 'MONTH';

/** Most buckets one trend answers, per granularity: a year of days, five years of weeks, ten years of months. */
export const MAX_BUCKETS: Record<Granularity, number> = { DAY: 366, WEEK: 260, MONTH: 120 };
const MIN_MOVER_MENTIONS = 3;
const MAX_MOVERS = 5;
const DAY_MS = 86_400_000;

const round = (x: number) => Math.round(x * 10_000) / 10_000;
const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);

function parseDay(value: string, field: 'from' | 'to'): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new BadUserInputError(`${field} must be a date YYYY-MM-DD (UTC)`, { field });
  const t = Date.parse(`${value}T00:00:00.000Z`);
  if (!Number.isFinite(t) || isoDay(t) !== value) throw new BadUserInputError(`${field} ${value} is not a calendar date`, { field });
  return t;
}

function bucketStart(t: number, granularity: Granularity): number {
  const d = new Date(t);
  if (granularity === 'DAY') return t;
  if (granularity === 'WEEK') return t - ((d.getUTCDay() + 6) % 7) * DAY_MS;
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

function nextBucket(t: number, granularity: Granularity): number {
  if (granularity === 'DAY') return t + DAY_MS;
  if (granularity === 'WEEK') return bucketStart(t, 'WEEK') + 7 * DAY_MS;
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** The validated range and its bucket bounds (each clipped to the range); throws BAD_USER_INPUT for a reversed, empty or too long range. */
export function trendPlan(from: string, to: string, granularity: Granularity): { from: number; to: number; buckets: Array<[number, number]>; months: string[] } {
  const start = parseDay(from, 'from');
  const end = parseDay(to, 'to');
  if (end < start) throw new BadUserInputError(`the range is reversed: to (${to}) is before from (${from})`, { field: 'to' });
  if (end === start) throw new BadUserInputError('the range is empty: to is exclusive, so it must be after from', { field: 'to' });
  const buckets: Array<[number, number]> = [];
  for (let t = start; t < end; t = nextBucket(t, granularity)) {
    if (buckets.length === MAX_BUCKETS[granularity]) {
      throw new BadUserInputError(`the range spans more than ${MAX_BUCKETS[granularity]} ${granularity} buckets; use a shorter range or a coarser granularity`, { field: 'granularity', limit: MAX_BUCKETS[granularity] });
    }
    buckets.push([t, Math.min(nextBucket(t, granularity), end)]);
  }
  const months = new Set<string>();
  for (let t = Date.UTC(new Date(start).getUTCFullYear(), new Date(start).getUTCMonth(), 1); t < end; t = nextBucket(t, 'MONTH')) months.add(isoDay(t).slice(0, 7));
  return { from: start, to: end, buckets, months: [...months] };
}

function addCounts(into: Omit<DayCounts, 'aspects'> & { aspects: Map<string, AspectCounts> }, day: DayCounts) {
  into.count += day.count;
  into.ratingSum += day.ratingSum;
  into.POSITIVE += day.POSITIVE;
  into.NEUTRAL += day.NEUTRAL;
  into.NEGATIVE += day.NEGATIVE;
  for (const [key, c] of Object.entries(day.aspects)) {
    const a = into.aspects.get(key) ?? { n: 0, POSITIVE: 0, NEUTRAL: 0, NEGATIVE: 0 };
    a.n += c.n; a.POSITIVE += c.POSITIVE; a.NEUTRAL += c.NEUTRAL; a.NEGATIVE += c.NEGATIVE;
    into.aspects.set(key, a);
  }
}

const emptySum = () => ({ count: 0, ratingSum: 0, POSITIVE: 0, NEUTRAL: 0, NEGATIVE: 0, aspects: new Map<string, AspectCounts>() });

/** Sums the stored daily buckets into the plan's buckets, and the movers between the range's halves. */
export function buildTrend(plan: ReturnType<typeof trendPlan>, granularity: Granularity, months: Map<string, TrendMonthDocument>) {
  const dayAt = (t: number): DayCounts | undefined => {
    const iso = isoDay(t);
    return months.get(iso.slice(0, 7))?.days[iso.slice(8, 10)];
  };
  const sumOver = (from: number, to: number) => {
    const sum = emptySum();
    for (let t = from; t < to; t += DAY_MS) {
      const day = dayAt(t);
      if (day) addCounts(sum, day);
    }
    return sum;
  };
  const buckets = plan.buckets.map(([start, end]) => {
    const s = sumOver(start, end);
    const analysed = s.POSITIVE + s.NEUTRAL + s.NEGATIVE;
    return {
      start: isoDay(start), end: isoDay(end), reviewCount: s.count,
      averageRating: s.count > 0 ? round(s.ratingSum / s.count) : null,
      positiveShare: analysed > 0 ? round(s.POSITIVE / analysed) : null,
      neutralShare: analysed > 0 ? round(s.NEUTRAL / analysed) : null,
      negativeShare: analysed > 0 ? round(s.NEGATIVE / analysed) : null,
    };
  });
  const days = Math.round((plan.to - plan.from) / DAY_MS);
  const middle = plan.from + Math.floor(days / 2) * DAY_MS;
  const first = sumOver(plan.from, middle).aspects;
  const last = sumOver(middle, plan.to).aspects;
  const net = (c: AspectCounts) => (c.POSITIVE - c.NEGATIVE) / c.n;
  const movers = [...first].flatMap(([key, a]) => {
    const b = last.get(key);
    if (!b || a.n < MIN_MOVER_MENTIONS || b.n < MIN_MOVER_MENTIONS) return [];
    return [{ aspect: fromFieldKey(key), firstMentions: a.n, lastMentions: b.n, firstNetSentiment: round(net(a)), lastNetSentiment: round(net(b)), change: round(net(b) - net(a)) }];
  }).sort((x, y) => Math.abs(y.change) - Math.abs(x.change) || (x.aspect < y.aspect ? -1 : 1)).slice(0, MAX_MOVERS);
  return { from: isoDay(plan.from), to: isoDay(plan.to), granularity, buckets, movers };
}
