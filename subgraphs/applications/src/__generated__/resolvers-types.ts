import type { GraphQLResolveInfo } from 'graphql';
import type { InsightsDocument } from '../models/insights.js';
import type { AlertDocument } from '../models/alert.js';
import type { WebhookDocument } from '../models/webhook.js';
import type { WebhookAttemptDocument } from '../models/webhook-delivery.js';
import type { ApplicationsContext } from '../context.js';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  _FieldSet: { input: unknown; output: unknown; }
};

/**
 * A significant rise of negative sentiment, of 1-2 star ratings, or of negative mentions of one aspect
 * in a product's last 7 days against its 28 days before (one-sided two-proportion z-test, z >= 2.33,
 * a rise of at least 10 points, at least 10 recent and 20 baseline reviews). One alert per signal while
 * it is active; resolved when z falls below 1.645 or too few reviews are left to say.
 */
export type Alert = {
  __typename?: 'Alert';
  /** The aspect of an ASPECT_NEGATIVE alert. */
  aspect?: Maybe<Scalars['String']['output']>;
  /** The counts and the test behind the alert, as last evaluated. */
  evidence: AlertEvidence;
  id: Scalars['ID']['output'];
  /** Which signal rose. */
  kind: AlertKind;
  /** The product the alert is about. */
  product: Product;
  /** When the alert was raised (ISO-8601). */
  raisedAt: Scalars['String']['output'];
  /** When the alert was resolved; null while it is active. */
  resolvedAt?: Maybe<Scalars['String']['output']>;
  /** HIGH when z >= 3.09 (p < 0.001), else MEDIUM. */
  severity: AlertSeverity;
  /** Whether the signal is still significant. */
  status: AlertStatus;
  /** When the alert last changed (ISO-8601). */
  updatedAt: Scalars['String']['output'];
};

/** A page of alerts. */
export type AlertConnection = {
  __typename?: 'AlertConnection';
  /** The alerts of the page, newest raised first. */
  edges: Array<AlertEdge>;
  /** Whether more follow, and the cursor to ask for them. */
  pageInfo: PageInfo;
};

/** An alert and its cursor. */
export type AlertEdge = {
  __typename?: 'AlertEdge';
  /** Pass as after to read on from here. */
  cursor: Scalars['String']['output'];
  /** The alert. */
  node: Alert;
};

/** The windows are [from, to) UTC dates; counts are reviews (of analysed reviews for sentiment and aspects). */
export type AlertEvidence = {
  __typename?: 'AlertEvidence';
  /** Baseline reviews that show the signal. */
  baselineCount: Scalars['Int']['output'];
  /** First day of the baseline window (UTC date, inclusive). */
  baselineFrom: Scalars['String']['output'];
  /** baselineCount / baselineTotal, rounded to 2 places (0 with no reviews). */
  baselineShare: Scalars['Float']['output'];
  /** The day after the baseline window (exclusive). */
  baselineTo: Scalars['String']['output'];
  /** Baseline reviews counted. */
  baselineTotal: Scalars['Int']['output'];
  /** Recent negative reviews that stand for the signal (up to 3). */
  exampleReviews: Array<Review>;
  /** Recent reviews that show the signal. */
  recentCount: Scalars['Int']['output'];
  /** First day of the recent window (UTC date, inclusive). */
  recentFrom: Scalars['String']['output'];
  /** recentCount / recentTotal, rounded to 2 places (0 with no reviews). */
  recentShare: Scalars['Float']['output'];
  /** The day after the recent window (exclusive). */
  recentTo: Scalars['String']['output'];
  /** Recent reviews counted. */
  recentTotal: Scalars['Int']['output'];
  /** The statistical test used. */
  test: Scalars['String']['output'];
  /** The test's z statistic, rounded to 2 places. */
  z: Scalars['Float']['output'];
};

/** The signal an alert watches. */
export type AlertKind =
  /** The share of analysed reviews with a negative mention of one aspect. */
  | 'ASPECT_NEGATIVE'
  /** The share of reviews rated 1 or 2 stars. */
  | 'LOW_RATING'
  /** The share of analysed reviews with negative sentiment. */
  | 'NEGATIVE_SENTIMENT';

/** How strong an alert's signal is. */
export type AlertSeverity =
  /** z of 3.09 or more (p < 0.001). */
  | 'HIGH'
  /** z from 2.33 up to 3.09. */
  | 'MEDIUM';

/** Whether an alert is still significant. */
export type AlertStatus =
  /** Raised and not resolved yet. */
  | 'ACTIVE'
  /** Resolved: z fell below 1.645 or too few reviews are left to say. */
  | 'RESOLVED';

/** An aspect that every compared product has mentions of. */
export type AspectComparison = {
  __typename?: 'AspectComparison';
  /** The canonical aspect. */
  aspect: Scalars['String']['output'];
  /** In the order of the compared products. */
  products: Array<AspectOfProduct>;
  /** Largest minus smallest net sentiment across the products, rounded to 2 places. */
  spread: Scalars['Float']['output'];
};

/** One canonical aspect of a product; each review that mentions it counts once, with the polarity most of its mentions have. */
export type AspectInsight = {
  __typename?: 'AspectInsight';
  /** The canonical aspect. */
  aspect: Scalars['String']['output'];
  /** 95% Wilson lower bound of the negative share. */
  conScore: Scalars['Float']['output'];
  /** Reviews that mention the aspect. */
  mentions: Scalars['Int']['output'];
  /** Reviews whose mentions of it are mostly negative. */
  negative: Scalars['Int']['output'];
  /** Up to 3 negative quotes, chosen the same way. */
  negativeQuotes: Array<AspectQuote>;
  /** negative / mentions, rounded to 2 places. */
  negativeShare: Scalars['Float']['output'];
  /** Reviews whose mentions of it are mostly neutral. */
  neutral: Scalars['Int']['output'];
  /** neutral / mentions, rounded to 2 places. */
  neutralShare: Scalars['Float']['output'];
  /** Reviews whose mentions of it are mostly positive. */
  positive: Scalars['Int']['output'];
  /** Up to 3 positive quotes: the most confident mentions, then the most recent reviews; one per review. */
  positiveQuotes: Array<AspectQuote>;
  /** positive / mentions, rounded to 2 places. */
  positiveShare: Scalars['Float']['output'];
  /** 95% Wilson lower bound of the positive share: high only when many reviews back it. */
  proScore: Scalars['Float']['output'];
};

/** Net sentiment is (positive - negative) / mentions. */
export type AspectMove = {
  __typename?: 'AspectMove';
  /** The canonical aspect. */
  aspect: Scalars['String']['output'];
  /** lastNetSentiment - firstNetSentiment, rounded to 2 places. */
  change: Scalars['Float']['output'];
  /** Mentions in the first half. */
  firstMentions: Scalars['Int']['output'];
  /** Net sentiment in the first half, rounded to 2 places. */
  firstNetSentiment: Scalars['Float']['output'];
  /** Mentions in the last half. */
  lastMentions: Scalars['Int']['output'];
  /** Net sentiment in the last half, rounded to 2 places. */
  lastNetSentiment: Scalars['Float']['output'];
};

/** Net sentiment is (positive - negative) / mentions. */
export type AspectOfProduct = {
  __typename?: 'AspectOfProduct';
  /** Reviews of the product that mention the aspect. */
  mentions: Scalars['Int']['output'];
  /** Negative mentions / mentions, rounded to 2 places. */
  negativeShare: Scalars['Float']['output'];
  /** (positive - negative) / mentions, rounded to 2 places. */
  netSentiment: Scalars['Float']['output'];
  /** Positive mentions / mentions, rounded to 2 places. */
  positiveShare: Scalars['Float']['output'];
  /** The product. */
  product: Product;
};

/** A review's clause about an aspect, with the span of the aspect term in the review text. */
export type AspectQuote = {
  __typename?: 'AspectQuote';
  /** The analyser's confidence in the mention's polarity. */
  confidence: Scalars['Float']['output'];
  /** The review quoted. */
  review: Review;
  /** When the review was written (ISO-8601). */
  reviewCreatedAt: Scalars['String']['output'];
  /** The clause of the review that mentions the aspect. */
  snippet: Scalars['String']['output'];
  /** Where the aspect term is in the review text. */
  span: QuoteSpan;
};

/** One compared product's figures. */
export type ComparedProduct = {
  __typename?: 'ComparedProduct';
  /** Mean star rating, rounded to 2 places; null with no reviews. */
  averageRating?: Maybe<Scalars['Float']['output']>;
  /** Share of the analysed reviews with negative sentiment; null when none is analysed. */
  negativeShare?: Maybe<Scalars['Float']['output']>;
  /** Shares of the analysed reviews; null when none is analysed. */
  positiveShare?: Maybe<Scalars['Float']['output']>;
  /** The product. */
  product: Product;
  /** Reviews counted. */
  reviewCount: Scalars['Int']['output'];
};

/** What deleteWebhook removed. */
export type DeletedWebhook = {
  __typename?: 'DeletedWebhook';
  /** The deleted webhook's id. */
  id: Scalars['ID']['output'];
};

/**
 * A deterministic, extractive summary: every number is one of the product's insights, every quote a
 * review's own clause, and the reviews quoted are cited. With fewer than 5 analysed reviews it says so
 * and claims nothing else.
 */
export type InsightsSummary = {
  __typename?: 'InsightsSummary';
  /** The reviews quoted in the text. */
  citedReviews: Array<Review>;
  /** False when there are too few analysed reviews to summarise. */
  sufficient: Scalars['Boolean']['output'];
  /** The summary's sentences. */
  text: Scalars['String']['output'];
};

/** A product's reviews in one locale. */
export type LocaleInsight = {
  __typename?: 'LocaleInsight';
  /** Mean star rating, rounded to 2 places; null with no reviews. */
  averageRating?: Maybe<Scalars['Float']['output']>;
  /** The review's locale as given, or und when none was. */
  locale: Scalars['String']['output'];
  /** Reviews counted. */
  reviewCount: Scalars['Int']['output'];
  /** These reviews by overall sentiment (analysed reviews only). */
  sentimentBreakdown: SentimentBreakdown;
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Deletes the webhook; its queued deliveries are dropped. */
  deleteWebhook: DeletedWebhook;
  /**
   * A new signing secret, returned here only. The previous secret stays valid for overlapSeconds
   * (0 to 604800, default 86400): deliveries carry a signature under each secret in force meanwhile.
   */
  rotateWebhookSecret: WebhookWithSecret;
  /**
   * Subscribes an http(s) URL to events. The URL may not carry credentials, and every address its host
   * resolves to (now and at each delivery) must be public: loopback, private, link-local, carrier-grade
   * NAT, multicast, unspecified and cloud metadata addresses are refused (BAD_USER_INPUT with
   * extensions.reason and extensions.range). The signing secret is returned here only.
   */
  subscribeWebhook: WebhookWithSecret;
  /** Changes what is given. enabled: true also re-enables a webhook disabled after sustained failure. */
  updateWebhook: Webhook;
};


export type MutationDeleteWebhookArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRotateWebhookSecretArgs = {
  id: Scalars['ID']['input'];
  overlapSeconds?: InputMaybe<Scalars['Int']['input']>;
};


export type MutationSubscribeWebhookArgs = {
  description?: InputMaybe<Scalars['String']['input']>;
  events: Array<WebhookEvent>;
  url: Scalars['String']['input'];
};


export type MutationUpdateWebhookArgs = {
  description?: InputMaybe<Scalars['String']['input']>;
  enabled?: InputMaybe<Scalars['Boolean']['input']>;
  events?: InputMaybe<Array<WebhookEvent>>;
  id: Scalars['ID']['input'];
  url?: InputMaybe<Scalars['String']['input']>;
};

/** Where a page ends. */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** The cursor to pass as `after` for what follows: the last item's (an empty change-feed page keeps the one it was asked with); null on an empty page otherwise. */
  endCursor?: Maybe<Scalars['String']['output']>;
  /** True when more items follow this page. */
  hasNextPage: Scalars['Boolean']['output'];
};

export type Product = {
  __typename?: 'Product';
  id: Scalars['ID']['output'];
  /** Rolled up from review events as they arrive; null until the product's first review event (and for another tenant's product). */
  insights?: Maybe<ProductInsights>;
};

/** Products side by side (compareProducts). */
export type ProductComparison = {
  __typename?: 'ProductComparison';
  /** In the order asked. */
  products: Array<ComparedProduct>;
  /** Largest minus smallest average rating of the compared products (null while one has no rating). */
  ratingSpread?: Maybe<Scalars['Float']['output']>;
  /** Aspects every compared product has mentions of, by spread (largest minus smallest net sentiment) descending, then name. */
  sharedAspects: Array<AspectComparison>;
};

/** A product's review statistics, rolled up from review events. */
export type ProductInsights = {
  __typename?: 'ProductInsights';
  /** Reviews whose analysis has been counted. */
  analyzedCount: Scalars['Int']['output'];
  /** Canonical aspects by the number of reviews that mention them (ties: by name). first: 1-50. */
  aspects: Array<AspectInsight>;
  /** Mean star rating; null with no reviews. */
  averageRating?: Maybe<Scalars['Float']['output']>;
  /** Reviews by locale (und: no locale given), most reviews first. */
  byLocale: Array<LocaleInsight>;
  /** Reviews by the name of their source (null: reviews counted before events carried it), most reviews first. */
  bySource: Array<SourceInsight>;
  /** One bucket per star rating, 1 to 5. */
  ratingHistogram: Array<RatingBucket>;
  /** Reviews counted. */
  reviewCount: Scalars['Int']['output'];
  /** Counted reviews by overall sentiment (analysed reviews only). */
  sentimentBreakdown: SentimentBreakdown;
  /** What customers say, in a few sentences built only from the counts above and the reviews' own words. */
  summary: InsightsSummary;
  /** Aspects customers complain about most, by conScore (the 95% Wilson lower bound of the negative share); only aspects with a negative mention. first: 1-20. */
  topCons: Array<AspectInsight>;
  /** Aspects customers praise most, by proScore (the 95% Wilson lower bound of the positive share); only aspects with a positive mention. first: 1-20. */
  topPros: Array<AspectInsight>;
  /**
   * Daily buckets of the reviews written in [from, to) (UTC dates, YYYY-MM-DD; from inclusive, to
   * exclusive), grouped by DAY (at most 366 buckets), WEEK (ISO weeks from Monday; at most 260) or MONTH (at most 120).
   */
  trend: Trend;
  /** When the rollup last changed (ISO-8601). */
  updatedAt: Scalars['String']['output'];
};


/** A product's review statistics, rolled up from review events. */
export type ProductInsightsAspectsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** A product's review statistics, rolled up from review events. */
export type ProductInsightsTopConsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** A product's review statistics, rolled up from review events. */
export type ProductInsightsTopProsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** A product's review statistics, rolled up from review events. */
export type ProductInsightsTrendArgs = {
  from: Scalars['String']['input'];
  granularity: TrendGranularity;
  to: Scalars['String']['input'];
};

export type Query = {
  __typename?: 'Query';
  /** The caller's alerts, newest raised first, optionally of one status and one product. first: 1-100 (default 20). */
  alerts: AlertConnection;
  /**
   * 2 to 5 products of the caller's tenant side by side: rating, sentiment, and the aspects all of them
   * have mentions of, the strongest difference first. Unknown products, another tenant's, and products
   * without reviews yet are NOT_FOUND; fewer than 2, more than 5 or repeated ids are BAD_USER_INPUT.
   */
  compareProducts: ProductComparison;
  /** One of the caller's webhooks; null when unknown or another tenant's. */
  webhook?: Maybe<Webhook>;
  /** The caller's webhooks, oldest first. first: 1-100 (default 20). */
  webhooks: WebhookConnection;
};


export type QueryAlertsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  productId?: InputMaybe<Scalars['ID']['input']>;
  status?: InputMaybe<AlertStatus>;
};


export type QueryCompareProductsArgs = {
  ids: Array<Scalars['ID']['input']>;
};


export type QueryWebhookArgs = {
  id: Scalars['ID']['input'];
};


export type QueryWebhooksArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** Character offsets [start, end) in the review text. */
export type QuoteSpan = {
  __typename?: 'QuoteSpan';
  /** Offset after the last character (exclusive). */
  end: Scalars['Int']['output'];
  /** Offset of the first character (inclusive). */
  start: Scalars['Int']['output'];
};

/** The reviews with one star rating. */
export type RatingBucket = {
  __typename?: 'RatingBucket';
  /** Reviews with that rating. */
  count: Scalars['Int']['output'];
  /** The star rating, 1 to 5. */
  rating: Scalars['Int']['output'];
};

/** A review, completed by the collection subgraph through the gateway. */
export type Review = {
  __typename?: 'Review';
  id: Scalars['ID']['output'];
};

/** Reviews by overall sentiment. */
export type SentimentBreakdown = {
  __typename?: 'SentimentBreakdown';
  /** Reviews with negative sentiment. */
  negative: Scalars['Int']['output'];
  /** Reviews with neutral sentiment. */
  neutral: Scalars['Int']['output'];
  /** Reviews with positive sentiment. */
  positive: Scalars['Int']['output'];
};

/** A product's reviews from one source. */
export type SourceInsight = {
  __typename?: 'SourceInsight';
  /** Mean star rating, rounded to 2 places; null with no reviews. */
  averageRating?: Maybe<Scalars['Float']['output']>;
  /** Reviews counted. */
  reviewCount: Scalars['Int']['output'];
  /** These reviews by overall sentiment (analysed reviews only). */
  sentimentBreakdown: SentimentBreakdown;
  /** The source's name; null for reviews counted before events carried it. */
  source?: Maybe<Scalars['String']['output']>;
};

/** A product's reviews over a range of dates, in buckets. */
export type Trend = {
  __typename?: 'Trend';
  /** The buckets, oldest first. */
  buckets: Array<TrendBucket>;
  /** Start of the range (UTC date, inclusive). */
  from: Scalars['String']['output'];
  /** The width of the buckets. */
  granularity: TrendGranularity;
  /** Aspects whose net sentiment moved most between the first and the last half of the range (at least 3 mentions in each half), largest move first; at most 5. */
  movers: Array<AspectMove>;
  /** End of the range (UTC date, exclusive). */
  to: Scalars['String']['output'];
};

/** Reviews written in [start, end). */
export type TrendBucket = {
  __typename?: 'TrendBucket';
  /** Mean star rating, rounded to 2 places; null with no reviews. */
  averageRating?: Maybe<Scalars['Float']['output']>;
  /** End of the bucket (UTC date, exclusive). */
  end: Scalars['String']['output'];
  /** Share of the analysed reviews with negative sentiment; null when none is analysed. */
  negativeShare?: Maybe<Scalars['Float']['output']>;
  /** Share of the analysed reviews with neutral sentiment; null when none is analysed. */
  neutralShare?: Maybe<Scalars['Float']['output']>;
  /** Shares of the analysed reviews in the bucket; null when none is analysed. */
  positiveShare?: Maybe<Scalars['Float']['output']>;
  /** Reviews written in the bucket. */
  reviewCount: Scalars['Int']['output'];
  /** Start of the bucket (UTC date, inclusive). */
  start: Scalars['String']['output'];
};

/** The width of a trend's buckets. */
export type TrendGranularity =
  /** One bucket per UTC day. */
  | 'DAY'
  /** One bucket per calendar month. */
  | 'MONTH'
  /** One bucket per ISO week (weeks start on Monday). */
  | 'WEEK';

/** A partner endpoint that receives signed event deliveries (see the README's Webhooks section). */
export type Webhook = {
  __typename?: 'Webhook';
  /** Failed attempts in a row since the last success (or the last re-enabling). */
  consecutiveFailures: Scalars['Int']['output'];
  /** When it was subscribed. */
  createdAt: Scalars['String']['output'];
  /** The delivery log, newest attempt first. first: 1-100 (default 20). */
  deliveries: WebhookDeliveryConnection;
  /** The owner's note. */
  description?: Maybe<Scalars['String']['output']>;
  /** When it was disabled automatically. */
  disabledAt?: Maybe<Scalars['String']['output']>;
  /** Why it was disabled automatically; null while enabled or disabled by its owner. */
  disabledReason?: Maybe<Scalars['String']['output']>;
  /** False when the owner disabled it or it was disabled automatically (disabledReason says why). */
  enabled: Scalars['Boolean']['output'];
  /** The events it receives. */
  events: Array<WebhookEvent>;
  id: Scalars['ID']['output'];
  /** Null when no previous secret signs any more. */
  previousSecretExpiresAt?: Maybe<Scalars['String']['output']>;
  /** When the current secret was made; previousSecretExpiresAt: until when the previous one still signs. */
  secretCreatedAt: Scalars['String']['output'];
  /** When its owner last changed it. */
  updatedAt: Scalars['String']['output'];
  /** The receiver, as normalised when it was checked. */
  url: Scalars['String']['output'];
};


/** A partner endpoint that receives signed event deliveries (see the README's Webhooks section). */
export type WebhookDeliveriesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** A page of webhooks. */
export type WebhookConnection = {
  __typename?: 'WebhookConnection';
  /** The webhooks of the page, oldest first. */
  edges: Array<WebhookEdge>;
  /** Whether more follow, and the cursor to ask for them. */
  pageInfo: PageInfo;
};

/** One attempt of one delivery. */
export type WebhookDelivery = {
  __typename?: 'WebhookDelivery';
  /** 1 for the first attempt of the delivery. */
  attempt: Scalars['Int']['output'];
  /** When the attempt started. */
  attemptedAt: Scalars['String']['output'];
  /** The delivery (one event to this webhook): the reviewgraph-webhook-id header and the body's id. */
  deliveryId: Scalars['ID']['output'];
  /** Why the attempt failed; null when it was delivered. */
  error?: Maybe<Scalars['String']['output']>;
  /** The body's type. */
  event: WebhookEvent;
  /** The bus event delivered (the body's eventId). */
  eventId: Scalars['ID']['output'];
  /** The receiver's HTTP status; null when no answer came (refused, unreachable, timed out). */
  httpStatus?: Maybe<Scalars['Int']['output']>;
  id: Scalars['ID']['output'];
  /** From the start of the attempt to its answer or its end. */
  latencyMs?: Maybe<Scalars['Int']['output']>;
  /** When a RETRYING delivery is tried again. */
  nextAttemptAt?: Maybe<Scalars['String']['output']>;
  /** What came of this attempt. */
  status: WebhookDeliveryStatus;
};

/** A page of a webhook's delivery log. */
export type WebhookDeliveryConnection = {
  __typename?: 'WebhookDeliveryConnection';
  /** The attempts of the page, newest first. */
  edges: Array<WebhookDeliveryEdge>;
  /** Whether more follow, and the cursor to ask for them. */
  pageInfo: PageInfo;
};

/** An attempt and its cursor. */
export type WebhookDeliveryEdge = {
  __typename?: 'WebhookDeliveryEdge';
  /** Pass as after to read on from here. */
  cursor: Scalars['String']['output'];
  /** The attempt. */
  node: WebhookDelivery;
};

/** The outcome of one delivery attempt. */
export type WebhookDeliveryStatus =
  /** Not sent: the webhook was disabled or deleted before this attempt. */
  | 'CANCELLED'
  /** Answered 2xx. */
  | 'DELIVERED'
  /** Failed on its last attempt (or the webhook was disabled by this failure): given up. */
  | 'FAILED'
  /** Failed; nextAttemptAt says when it is tried again. */
  | 'RETRYING';

/** A webhook and its cursor. */
export type WebhookEdge = {
  __typename?: 'WebhookEdge';
  /** Pass as after to read on from here. */
  cursor: Scalars['String']['output'];
  /** The webhook. */
  node: Webhook;
};

/** review.published, review.analyzed, alert.raised, alert.resolved (the `type` of each delivery's body). */
export type WebhookEvent =
  | 'ALERT_RAISED'
  | 'ALERT_RESOLVED'
  | 'REVIEW_ANALYZED'
  | 'REVIEW_PUBLISHED';

/** A webhook with its signing secret, returned when the secret is made. */
export type WebhookWithSecret = {
  __typename?: 'WebhookWithSecret';
  /** The signing secret (whsec_...): shown once, keep it with the receiver. */
  secret: Scalars['String']['output'];
  /** The webhook. */
  webhook: Webhook;
};

export type WithIndex<TObject> = TObject & Record<string, any>;
export type ResolversObject<TObject> = WithIndex<TObject>;

export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

/** Mapping of federation types */
export type FederationTypes = ResolversObject<{
  Alert: Alert;
  Product: Product;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Alert:
    ( { __typename: 'Alert' }
    & GraphQLRecursivePick<FederationTypes['Alert'], {"id":true}> );
  Product:
    ( { __typename: 'Product' }
    & GraphQLRecursivePick<FederationTypes['Product'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  Alert: ResolverTypeWrapper<AlertDocument>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  AlertConnection: ResolverTypeWrapper<Omit<AlertConnection, 'edges'> & { edges: Array<ResolversTypes['AlertEdge']> }>;
  AlertEdge: ResolverTypeWrapper<Omit<AlertEdge, 'node'> & { node: ResolversTypes['Alert'] }>;
  AlertEvidence: ResolverTypeWrapper<AlertEvidence>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  AlertKind: AlertKind;
  AlertSeverity: AlertSeverity;
  AlertStatus: AlertStatus;
  AspectComparison: ResolverTypeWrapper<Omit<AspectComparison, 'products'> & { products: Array<ResolversTypes['AspectOfProduct']> }>;
  AspectInsight: ResolverTypeWrapper<AspectInsight>;
  AspectMove: ResolverTypeWrapper<AspectMove>;
  AspectOfProduct: ResolverTypeWrapper<Omit<AspectOfProduct, 'product'> & { product: ResolversTypes['Product'] }>;
  AspectQuote: ResolverTypeWrapper<AspectQuote>;
  ComparedProduct: ResolverTypeWrapper<Omit<ComparedProduct, 'product'> & { product: ResolversTypes['Product'] }>;
  DeletedWebhook: ResolverTypeWrapper<DeletedWebhook>;
  InsightsSummary: ResolverTypeWrapper<InsightsSummary>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  LocaleInsight: ResolverTypeWrapper<LocaleInsight>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Product: ResolverTypeWrapper<Omit<Product, 'insights'> & { insights?: Maybe<ResolversTypes['ProductInsights']> }>;
  ProductComparison: ResolverTypeWrapper<Omit<ProductComparison, 'products' | 'sharedAspects'> & { products: Array<ResolversTypes['ComparedProduct']>, sharedAspects: Array<ResolversTypes['AspectComparison']> }>;
  ProductInsights: ResolverTypeWrapper<InsightsDocument>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  QuoteSpan: ResolverTypeWrapper<QuoteSpan>;
  RatingBucket: ResolverTypeWrapper<RatingBucket>;
  Review: ResolverTypeWrapper<Review>;
  SentimentBreakdown: ResolverTypeWrapper<SentimentBreakdown>;
  SourceInsight: ResolverTypeWrapper<SourceInsight>;
  Trend: ResolverTypeWrapper<Trend>;
  TrendBucket: ResolverTypeWrapper<TrendBucket>;
  TrendGranularity: TrendGranularity;
  Webhook: ResolverTypeWrapper<WebhookDocument>;
  WebhookConnection: ResolverTypeWrapper<Omit<WebhookConnection, 'edges'> & { edges: Array<ResolversTypes['WebhookEdge']> }>;
  WebhookDelivery: ResolverTypeWrapper<WebhookAttemptDocument>;
  WebhookDeliveryConnection: ResolverTypeWrapper<Omit<WebhookDeliveryConnection, 'edges'> & { edges: Array<ResolversTypes['WebhookDeliveryEdge']> }>;
  WebhookDeliveryEdge: ResolverTypeWrapper<Omit<WebhookDeliveryEdge, 'node'> & { node: ResolversTypes['WebhookDelivery'] }>;
  WebhookDeliveryStatus: WebhookDeliveryStatus;
  WebhookEdge: ResolverTypeWrapper<Omit<WebhookEdge, 'node'> & { node: ResolversTypes['Webhook'] }>;
  WebhookEvent: WebhookEvent;
  WebhookWithSecret: ResolverTypeWrapper<Omit<WebhookWithSecret, 'webhook'> & { webhook: ResolversTypes['Webhook'] }>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  Alert: AlertDocument;
  String: Scalars['String']['output'];
  ID: Scalars['ID']['output'];
  AlertConnection: Omit<AlertConnection, 'edges'> & { edges: Array<ResolversParentTypes['AlertEdge']> };
  AlertEdge: Omit<AlertEdge, 'node'> & { node: ResolversParentTypes['Alert'] };
  AlertEvidence: AlertEvidence;
  Int: Scalars['Int']['output'];
  Float: Scalars['Float']['output'];
  AspectComparison: Omit<AspectComparison, 'products'> & { products: Array<ResolversParentTypes['AspectOfProduct']> };
  AspectInsight: AspectInsight;
  AspectMove: AspectMove;
  AspectOfProduct: Omit<AspectOfProduct, 'product'> & { product: ResolversParentTypes['Product'] };
  AspectQuote: AspectQuote;
  ComparedProduct: Omit<ComparedProduct, 'product'> & { product: ResolversParentTypes['Product'] };
  DeletedWebhook: DeletedWebhook;
  InsightsSummary: InsightsSummary;
  Boolean: Scalars['Boolean']['output'];
  LocaleInsight: LocaleInsight;
  Mutation: Record<PropertyKey, never>;
  PageInfo: PageInfo;
  Product: Omit<Product, 'insights'> & { insights?: Maybe<ResolversParentTypes['ProductInsights']> } | FederationReferenceTypes['Product'];
  ProductComparison: Omit<ProductComparison, 'products' | 'sharedAspects'> & { products: Array<ResolversParentTypes['ComparedProduct']>, sharedAspects: Array<ResolversParentTypes['AspectComparison']> };
  ProductInsights: InsightsDocument;
  Query: Record<PropertyKey, never>;
  QuoteSpan: QuoteSpan;
  RatingBucket: RatingBucket;
  Review: Review;
  SentimentBreakdown: SentimentBreakdown;
  SourceInsight: SourceInsight;
  Trend: Trend;
  TrendBucket: TrendBucket;
  Webhook: WebhookDocument;
  WebhookConnection: Omit<WebhookConnection, 'edges'> & { edges: Array<ResolversParentTypes['WebhookEdge']> };
  WebhookDelivery: WebhookAttemptDocument;
  WebhookDeliveryConnection: Omit<WebhookDeliveryConnection, 'edges'> & { edges: Array<ResolversParentTypes['WebhookDeliveryEdge']> };
  WebhookDeliveryEdge: Omit<WebhookDeliveryEdge, 'node'> & { node: ResolversParentTypes['WebhookDelivery'] };
  WebhookEdge: Omit<WebhookEdge, 'node'> & { node: ResolversParentTypes['Webhook'] };
  WebhookWithSecret: Omit<WebhookWithSecret, 'webhook'> & { webhook: ResolversParentTypes['Webhook'] };
}>;

export type AlertResolvers<ContextType = ApplicationsContext, ParentType extends ResolversParentTypes['Alert'] = ResolversParentTypes['Alert'], FederationReferenceType extends FederationReferenceTypes['Alert'] = FederationReferenceTypes['Alert']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Alert']> | FederationReferenceType, FederationReferenceType, ContextType>;
  aspect?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  evidence?: Resolver<ResolversTypes['AlertEvidence'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['AlertKind'], ParentType, ContextType>;
  product?: Resolver<ResolversTypes['Product'], ParentType, ContextType>;
  raisedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  resolvedAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  severity?: Resolver<ResolversTypes['AlertSeverity'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['AlertStatus'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type AlertConnectionResolvers<ContextType = ApplicationsContext, ParentType extends ResolversParentTypes['AlertConnection'] = ResolversParentTypes['AlertConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['AlertEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
}>;

export type AlertEdgeResolvers<ContextType = ApplicationsContext, ParentType extends ResolversParentTypes['AlertEdge'] = ResolversParentTypes['AlertEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Alert'], ParentType, ContextType>;
}>;

export type AlertEvidenceResolvers<ContextType = ApplicationsContext, ParentType extends ResolversParentTypes['AlertEvidence'] = ResolversParentTypes['AlertEvidence']> = ResolversObject<{
  baselineCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  baselineFrom?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  baselineShare?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  baselineTo?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  baselineTotal?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  exampleReviews?: Resolver<Array<ResolversTypes['Review']>, ParentType, ContextType>;
  recentCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  recentFrom?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  recentShare?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  recentTo?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  recentTotal?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  test?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  z?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
}>;

export type AspectComparisonResolvers<ContextType = ApplicationsContext, ParentType extends ResolversParentTypes['AspectComparison'] = ResolversParentTypes['AspectComparison']> = ResolversObject<{
  aspect?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  products?: Resolver<Array<ResolversTypes['AspectOfProduct']>, ParentType, ContextType>;
  spread?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
}>;

export type AspectInsightResolvers<ContextType = ApplicationsContext, ParentType extends ResolversParentTypes['AspectInsight'] = ResolversParentTypes['AspectInsight']> = ResolversObject<{
  aspect?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  conScore?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  mentions?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  negative?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  negativeQuotes?: Resolver<Array<ResolversTypes['AspectQuote']>, ParentType, ContextType>;
  negativeShare?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  neutral?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  neutralShare?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  positive?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  positiveQuotes?: Resolver<Array<ResolversTypes['AspectQuote']>, ParentType, ContextType>;
  positiveShare?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  proScore?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
}>;

export type AspectMoveResolvers<ContextType = ApplicationsContext, ParentType extends ResolversParentTypes['AspectMove'] = ResolversParentTypes['AspectMove']> = ResolversObject<{
  aspect?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  change?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  firstMentions?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  firstNetSentiment?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  lastMentions?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  lastNetSentiment?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
}>;

export type AspectOfProductResolvers<ContextType = ApplicationsContext, ParentType extends ResolversParentTypes['AspectOfProduct'] = ResolversParentTypes['AspectOfProduct']> = ResolversObject<{
  mentions?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  negativeShare?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  netSentiment?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  positiveShare?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  product?: Resolver<ResolversTypes['Product'], ParentType, ContextType>;
}>;

export type AspectQuoteResolvers<ContextType = ApplicationsContext, ParentType extends ResolversParentTypes['AspectQuote'] = ResolversParentTypes['AspectQuote']> = ResolversObject<{
  confidence?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  review?: Resolver<ResolversTypes['Review'], ParentType, ContextType>;
  reviewCreatedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  snippet?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  span?: Resolver<ResolversTypes['QuoteSpan'], ParentType, ContextType>;
}>;

export type ComparedProductResolvers<ContextType = ApplicationsContext, ParentType extends ResolversParentTypes['ComparedProduct'] = ResolversParentTypes['ComparedProduct']> = ResolversObject<{
  averageRating?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  negativeShare?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  positiveShare?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  product?: Resolver<ResolversTypes['Product'], ParentType, ContextType>;
  reviewCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type DeletedWebhookResolvers<ContextType = ApplicationsContext, ParentType extends ResolversParentTypes['DeletedWebhook'] = ResolversParentTypes['DeletedWebhook']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type InsightsSummaryResolvers<ContextType = ApplicationsContext, ParentType extends ResolversParentTypes['InsightsSummary'] = ResolversParentTypes['InsightsSummary']> = ResolversObject<{
  citedReviews?: Resolver<Array<ResolversTypes['Review']>, ParentType, ContextType>;
  sufficient?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  text?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type LocaleInsightResolvers<ContextType = ApplicationsContext, ParentType extends ResolversParentTypes['LocaleInsight'] = ResolversParentTypes['LocaleInsight']> = ResolversObject<{
  averageRating?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  locale?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  reviewCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  sentimentBreakdown?: Resolver<ResolversTypes['SentimentBreakdown'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = ApplicationsContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  deleteWebhook?: Resolver<ResolversTypes['DeletedWebhook'], ParentType, ContextType, RequireFields<MutationDeleteWebhookArgs, 'id'>>;
  rotateWebhookSecret?: Resolver<ResolversTypes['WebhookWithSecret'], ParentType, ContextType, RequireFields<MutationRotateWebhookSecretArgs, 'id' | 'overlapSeconds'>>;
  subscribeWebhook?: Resolver<ResolversTypes['WebhookWithSecret'], ParentType, ContextType, RequireFields<MutationSubscribeWebhookArgs, 'events' | 'url'>>;
  updateWebhook?: Resolver<ResolversTypes['Webhook'], ParentType, ContextType, RequireFields<MutationUpdateWebhookArgs, 'id'>>;
}>;

export type PageInfoResolvers<ContextType = ApplicationsContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type ProductResolvers<ContextType = ApplicationsContext, ParentType extends ResolversParentTypes['Product'] = ResolversParentTypes['Product'], FederationReferenceType extends FederationReferenceTypes['Product'] = FederationReferenceTypes['Product']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Product']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  insights?: Resolver<Maybe<ResolversTypes['ProductInsights']>, ParentType, ContextType>;
}>;

export type ProductComparisonResolvers<ContextType = ApplicationsContext, ParentType extends ResolversParentTypes['ProductComparison'] = ResolversParentTypes['ProductComparison']> = ResolversObject<{
  products?: Resolver<Array<ResolversTypes['ComparedProduct']>, ParentType, ContextType>;
  ratingSpread?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  sharedAspects?: Resolver<Array<ResolversTypes['AspectComparison']>, ParentType, ContextType>;
}>;

export type ProductInsightsResolvers<ContextType = ApplicationsContext, ParentType extends ResolversParentTypes['ProductInsights'] = ResolversParentTypes['ProductInsights']> = ResolversObject<{
  analyzedCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  aspects?: Resolver<Array<ResolversTypes['AspectInsight']>, ParentType, ContextType, RequireFields<ProductInsightsAspectsArgs, 'first'>>;
  averageRating?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  byLocale?: Resolver<Array<ResolversTypes['LocaleInsight']>, ParentType, ContextType>;
  bySource?: Resolver<Array<ResolversTypes['SourceInsight']>, ParentType, ContextType>;
  ratingHistogram?: Resolver<Array<ResolversTypes['RatingBucket']>, ParentType, ContextType>;
  reviewCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  sentimentBreakdown?: Resolver<ResolversTypes['SentimentBreakdown'], ParentType, ContextType>;
  summary?: Resolver<ResolversTypes['InsightsSummary'], ParentType, ContextType>;
  topCons?: Resolver<Array<ResolversTypes['AspectInsight']>, ParentType, ContextType, RequireFields<ProductInsightsTopConsArgs, 'first'>>;
  topPros?: Resolver<Array<ResolversTypes['AspectInsight']>, ParentType, ContextType, RequireFields<ProductInsightsTopProsArgs, 'first'>>;
  trend?: Resolver<ResolversTypes['Trend'], ParentType, ContextType, RequireFields<ProductInsightsTrendArgs, 'from' | 'granularity' | 'to'>>;
  updatedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = ApplicationsContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  alerts?: Resolver<ResolversTypes['AlertConnection'], ParentType, ContextType, RequireFields<QueryAlertsArgs, 'first'>>;
  compareProducts?: Resolver<ResolversTypes['ProductComparison'], ParentType, ContextType, RequireFields<QueryCompareProductsArgs, 'ids'>>;
  webhook?: Resolver<Maybe<ResolversTypes['Webhook']>, ParentType, ContextType, RequireFields<QueryWebhookArgs, 'id'>>;
  webhooks?: Resolver<ResolversTypes['WebhookConnection'], ParentType, ContextType, RequireFields<QueryWebhooksArgs, 'first'>>;
}>;

export type QuoteSpanResolvers<ContextType = ApplicationsContext, ParentType extends ResolversParentTypes['QuoteSpan'] = ResolversParentTypes['QuoteSpan']> = ResolversObject<{
  end?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  start?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type RatingBucketResolvers<ContextType = ApplicationsContext, ParentType extends ResolversParentTypes['RatingBucket'] = ResolversParentTypes['RatingBucket']> = ResolversObject<{
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  rating?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type ReviewResolvers<ContextType = ApplicationsContext, ParentType extends ResolversParentTypes['Review'] = ResolversParentTypes['Review']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type SentimentBreakdownResolvers<ContextType = ApplicationsContext, ParentType extends ResolversParentTypes['SentimentBreakdown'] = ResolversParentTypes['SentimentBreakdown']> = ResolversObject<{
  negative?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  neutral?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  positive?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type SourceInsightResolvers<ContextType = ApplicationsContext, ParentType extends ResolversParentTypes['SourceInsight'] = ResolversParentTypes['SourceInsight']> = ResolversObject<{
  averageRating?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  reviewCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  sentimentBreakdown?: Resolver<ResolversTypes['SentimentBreakdown'], ParentType, ContextType>;
  source?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type TrendResolvers<ContextType = ApplicationsContext, ParentType extends ResolversParentTypes['Trend'] = ResolversParentTypes['Trend']> = ResolversObject<{
  buckets?: Resolver<Array<ResolversTypes['TrendBucket']>, ParentType, ContextType>;
  from?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  granularity?: Resolver<ResolversTypes['TrendGranularity'], ParentType, ContextType>;
  movers?: Resolver<Array<ResolversTypes['AspectMove']>, ParentType, ContextType>;
  to?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type TrendBucketResolvers<ContextType = ApplicationsContext, ParentType extends ResolversParentTypes['TrendBucket'] = ResolversParentTypes['TrendBucket']> = ResolversObject<{
  averageRating?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  end?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  negativeShare?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  neutralShare?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  positiveShare?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  reviewCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  start?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type WebhookResolvers<ContextType = ApplicationsContext, ParentType extends ResolversParentTypes['Webhook'] = ResolversParentTypes['Webhook']> = ResolversObject<{
  consecutiveFailures?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  deliveries?: Resolver<ResolversTypes['WebhookDeliveryConnection'], ParentType, ContextType, RequireFields<WebhookDeliveriesArgs, 'first'>>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  disabledAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  disabledReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  enabled?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  events?: Resolver<Array<ResolversTypes['WebhookEvent']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  previousSecretExpiresAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  secretCreatedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  url?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type WebhookConnectionResolvers<ContextType = ApplicationsContext, ParentType extends ResolversParentTypes['WebhookConnection'] = ResolversParentTypes['WebhookConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['WebhookEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
}>;

export type WebhookDeliveryResolvers<ContextType = ApplicationsContext, ParentType extends ResolversParentTypes['WebhookDelivery'] = ResolversParentTypes['WebhookDelivery']> = ResolversObject<{
  attempt?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  attemptedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  deliveryId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  event?: Resolver<ResolversTypes['WebhookEvent'], ParentType, ContextType>;
  eventId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  httpStatus?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  latencyMs?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  nextAttemptAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['WebhookDeliveryStatus'], ParentType, ContextType>;
}>;

export type WebhookDeliveryConnectionResolvers<ContextType = ApplicationsContext, ParentType extends ResolversParentTypes['WebhookDeliveryConnection'] = ResolversParentTypes['WebhookDeliveryConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['WebhookDeliveryEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
}>;

export type WebhookDeliveryEdgeResolvers<ContextType = ApplicationsContext, ParentType extends ResolversParentTypes['WebhookDeliveryEdge'] = ResolversParentTypes['WebhookDeliveryEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['WebhookDelivery'], ParentType, ContextType>;
}>;

export type WebhookEdgeResolvers<ContextType = ApplicationsContext, ParentType extends ResolversParentTypes['WebhookEdge'] = ResolversParentTypes['WebhookEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Webhook'], ParentType, ContextType>;
}>;

export type WebhookWithSecretResolvers<ContextType = ApplicationsContext, ParentType extends ResolversParentTypes['WebhookWithSecret'] = ResolversParentTypes['WebhookWithSecret']> = ResolversObject<{
  secret?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  webhook?: Resolver<ResolversTypes['Webhook'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = ApplicationsContext> = ResolversObject<{
  Alert?: AlertResolvers<ContextType>;
  AlertConnection?: AlertConnectionResolvers<ContextType>;
  AlertEdge?: AlertEdgeResolvers<ContextType>;
  AlertEvidence?: AlertEvidenceResolvers<ContextType>;
  AspectComparison?: AspectComparisonResolvers<ContextType>;
  AspectInsight?: AspectInsightResolvers<ContextType>;
  AspectMove?: AspectMoveResolvers<ContextType>;
  AspectOfProduct?: AspectOfProductResolvers<ContextType>;
  AspectQuote?: AspectQuoteResolvers<ContextType>;
  ComparedProduct?: ComparedProductResolvers<ContextType>;
  DeletedWebhook?: DeletedWebhookResolvers<ContextType>;
  InsightsSummary?: InsightsSummaryResolvers<ContextType>;
  LocaleInsight?: LocaleInsightResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Product?: ProductResolvers<ContextType>;
  ProductComparison?: ProductComparisonResolvers<ContextType>;
  ProductInsights?: ProductInsightsResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  QuoteSpan?: QuoteSpanResolvers<ContextType>;
  RatingBucket?: RatingBucketResolvers<ContextType>;
  Review?: ReviewResolvers<ContextType>;
  SentimentBreakdown?: SentimentBreakdownResolvers<ContextType>;
  SourceInsight?: SourceInsightResolvers<ContextType>;
  Trend?: TrendResolvers<ContextType>;
  TrendBucket?: TrendBucketResolvers<ContextType>;
  Webhook?: WebhookResolvers<ContextType>;
  WebhookConnection?: WebhookConnectionResolvers<ContextType>;
  WebhookDelivery?: WebhookDeliveryResolvers<ContextType>;
  WebhookDeliveryConnection?: WebhookDeliveryConnectionResolvers<ContextType>;
  WebhookDeliveryEdge?: WebhookDeliveryEdgeResolvers<ContextType>;
  WebhookEdge?: WebhookEdgeResolvers<ContextType>;
  WebhookWithSecret?: WebhookWithSecretResolvers<ContextType>;
}>;

