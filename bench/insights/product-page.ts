/**
 * The product page's insights through the gateway: the README's Insights query (pros and cons
 * with their quotes and the quoted reviews completed by collection, aspects, locales) with the
 * summary and a 90-day DAY trend, timed sequentially.
 */
import type { Stack } from '../../lib/stack.js';
import { gql } from '../support/graphql.js';
import { API_KEY } from './product-store.js';

export const PRODUCT_PAGE = `query($sku: String!, $from: String!, $to: String!) { productBySku(sku: $sku) { name insights {
  reviewCount averageRating
  topPros(first: 3) { aspect mentions positiveShare proScore positiveQuotes { snippet span { start end } review { id rating text } } }
  topCons(first: 3) { aspect mentions negativeShare conScore negativeQuotes { snippet review { id rating } } }
  aspects(first: 10) { aspect mentions positive neutral negative }
  byLocale { locale reviewCount averageRating }
  trend(from: $from, to: $to, granularity: DAY) {
    buckets { start end reviewCount averageRating positiveShare negativeShare }
    movers { aspect firstNetSentiment lastNetSentiment change } }
  summary { text sufficient citedReviews { id } } } } }`;

const DAY_MS = 86_400_000;

export interface PageAnswer { reviewCount: number; buckets: number; pros: number; cons: number; quotes: number; sufficient: boolean }

/** The variables of the page: the 90 UTC days up to and including the day of `now`. */
export function pageVariables(sku: string, now: Date): Record<string, string> {
  const end = Math.floor(now.getTime() / DAY_MS) * DAY_MS + DAY_MS;
  return { sku, from: new Date(end - 90 * DAY_MS).toISOString().slice(0, 10), to: new Date(end).toISOString().slice(0, 10) };
}

/** One page request; throws on any error, and returns what the page showed. */
export async function readPage(stack: Stack, variables: Record<string, string>): Promise<PageAnswer> {
  const data = await gql<{ productBySku: { insights: any } | null }>(stack.gatewayUrl, API_KEY, PRODUCT_PAGE, variables);
  if (!data.productBySku?.insights) throw new Error(`product page without insights: ${JSON.stringify(data).slice(0, 300)}`);
  const insights = data.productBySku.insights;
  const quotes = [...insights.topPros.flatMap((p: any) => p.positiveQuotes), ...insights.topCons.flatMap((c: any) => c.negativeQuotes)];
  return { reviewCount: insights.reviewCount, buckets: insights.trend.buckets.length, pros: insights.topPros.length, cons: insights.topCons.length, quotes: quotes.length, sufficient: insights.summary.sufficient };
}

export const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** Sequential latency of `run` over `requests` requests after 10 warm-ups: p50 and p99 in ms. */
export async function latency(run: () => Promise<unknown>, requests: number): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 10; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < requests; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}
