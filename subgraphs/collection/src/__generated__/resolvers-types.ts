import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { ProductDocument } from '../models/product.js';
import type { ReviewDocument } from '../models/review.js';
import type { SourceDocument } from '../models/source.js';
import type { ModerationPolicyView } from '../models/moderation.js';
import type { ReviewChangeNode } from '../models/review-change.js';
import type { CollectionContext } from '../context.js';
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
  /** An ISO-8601 date-time string in UTC, e.g. 2026-11-26T09:30:00.000Z. */
  DateTime: { input: string; output: string; }
  _FieldSet: { input: unknown; output: unknown; }
};

/** A review item that was stored or found. */
export type AcceptedReview = {
  __typename?: 'AcceptedReview';
  /** True when this source + externalId was already stored (unchanged, or edited: see edited). */
  duplicate: Scalars['Boolean']['output'];
  /** True when this call changed the stored review's content (a new revision). */
  edited: Scalars['Boolean']['output'];
  /** The review's id. */
  id: Scalars['ID']['output'];
  /** Position of the item in the input list. */
  index: Scalars['Int']['output'];
  /** The review's revision after this call. */
  revision: Scalars['Int']['output'];
};

/** A source to create. */
export type CreateSourceInput = {
  /** What kind of channel the source is. */
  kind: SourceKind;
  /** 1 to 64 letters, digits and : . _ - e.g. retailer:acme. */
  name: Scalars['String']['input'];
};

/** What deleteReviews removed. */
export type DeleteReviewsPayload = {
  __typename?: 'DeleteReviewsPayload';
  /** Ids of the reviews deleted. */
  deleted: Array<Scalars['ID']['output']>;
  /** Ids with no review of the caller's tenant. */
  notFound: Array<Scalars['ID']['output']>;
  /** Deleted, but the deletion event is not on the bus yet; it will be published automatically. */
  pending: Array<Scalars['ID']['output']>;
};

/** What moderateReviews changed. */
export type ModerateReviewsPayload = {
  __typename?: 'ModerateReviewsPayload';
  /** The reviews asked for that the caller's tenant has, as they are now. */
  moderated: Array<Review>;
  /** Ids with no review of the caller's tenant. */
  notFound: Array<Scalars['ID']['output']>;
  /** Changed, but the change's event is not on the bus yet; it will be published automatically. */
  pending: Array<Scalars['ID']['output']>;
};

/** A tenant's moderation policy. */
export type ModerationPolicy = {
  __typename?: 'ModerationPolicy';
  /**
   * Signals that hold a review as PENDING; none by default. Signals of a review's content hold it when
   * it is stored; RATING_CONTRADICTS_SENTIMENT holds a published review once its analysis finds it.
   */
  hold: Array<ReviewSignal>;
  /** Reviews one source may bring the tenant in one clock hour (UTC, by arrival) before the next ones are a SOURCE_BURST; 1,000 until set. */
  sourceBurstLimit: Scalars['Int']['output'];
  /** When the policy was last set; null until it is first set. */
  updatedAt?: Maybe<Scalars['DateTime']['output']>;
};

export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Creates a source. A name that so far only reviews used (created implicitly, see Source) takes the
   * kind given and keeps its id; a name created before is a CONFLICT.
   */
  createSource: Source;
  /**
   * Deletes reviews (at most 100 per call), e.g. on a takedown or erasure request. Their analyses,
   * mentions and insight counts are removed downstream, asynchronously.
   */
  deleteReviews: DeleteReviewsPayload;
  /**
   * Sets the status of reviews (at most 100 per call; the moderate scope). REJECTED needs a reason.
   * Each change reaches insights through the bus (only published reviews are counted) and the change
   * feed as STATUS_CHANGED.
   */
  moderateReviews: ModerateReviewsPayload;
  /**
   * Which signals hold a review as PENDING (the moderate scope). An empty list publishes every review.
   * `sourceBurstLimit` (1 to 10,000,000) sets how many reviews one source may bring in a clock hour
   * before SOURCE_BURST; left out, the stored limit stays (1,000 until first set).
   */
  setModerationPolicy: ModerationPolicy;
  /**
   * Stores reviews and queues them for analysis; returns without waiting for it. A review is accepted
   * only once its event is on the bus. At most 500 per call; invalid items are reported, valid ones kept.
   */
  submitReviews: SubmitReviewsPayload;
  /** Changes a source's kind (NOT_FOUND for an id of no source of the caller). A name never changes: it is half of its reviews' identity. */
  updateSource: Source;
  /** Creates or updates products by SKU (at most 500 per call). */
  upsertProducts: UpsertProductsPayload;
};


export type MutationCreateSourceArgs = {
  input: CreateSourceInput;
};


export type MutationDeleteReviewsArgs = {
  ids: Array<Scalars['ID']['input']>;
};


export type MutationModerateReviewsArgs = {
  ids: Array<Scalars['ID']['input']>;
  reason?: InputMaybe<Scalars['String']['input']>;
  status: ReviewStatus;
};


export type MutationSetModerationPolicyArgs = {
  hold: Array<ReviewSignal>;
  sourceBurstLimit?: InputMaybe<Scalars['Int']['input']>;
};


export type MutationSubmitReviewsArgs = {
  input: SubmitReviewsInput;
};


export type MutationUpdateSourceArgs = {
  input: UpdateSourceInput;
};


export type MutationUpsertProductsArgs = {
  input: UpsertProductsInput;
};

/** Where a page ends. */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** The cursor to pass as `after` for what follows: the last item's (an empty change-feed page keeps the one it was asked with); null on an empty page otherwise. */
  endCursor?: Maybe<Scalars['String']['output']>;
  /** True when more items follow this page. */
  hasNextPage: Scalars['Boolean']['output'];
};

/** A product of a tenant's catalogue. */
export type Product = {
  __typename?: 'Product';
  /** The brand, if given. */
  brand?: Maybe<Scalars['String']['output']>;
  /** The category, if given; it drives the default aspect taxonomy. */
  category?: Maybe<Scalars['String']['output']>;
  /** The product's id (prd_ followed by 24 hex digits). */
  id: Scalars['ID']['output'];
  /** The product's name. */
  name: Scalars['String']['output'];
  /**
   * Reviews of this product, newest first unless `orderBy` says otherwise; `rating` keeps one rating
   * (1-5), newest first (oldest first with OLDEST or LOWEST_RATING). `first` is capped at 100. A cursor
   * works only with the same product, `orderBy` and `rating`.
   */
  reviews: ReviewConnection;
  /** The tenant's SKU, unique per tenant. */
  sku: Scalars['String']['output'];
};


/** A product of a tenant's catalogue. */
export type ProductReviewsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<ReviewOrder>;
  rating?: InputMaybe<Scalars['Int']['input']>;
};

/** A page of products. */
export type ProductConnection = {
  __typename?: 'ProductConnection';
  /** The products on this page. */
  edges: Array<ProductEdge>;
  /** Whether more follow, and the cursor to ask for them. */
  pageInfo: PageInfo;
};

/** A product and its cursor. */
export type ProductEdge = {
  __typename?: 'ProductEdge';
  /** Pass as `after` to read on from this product. */
  cursor: Scalars['String']['output'];
  /** The product. */
  node: Product;
};

/** A product, named by its SKU. */
export type ProductInput = {
  /** Up to 100 characters. */
  brand?: InputMaybe<Scalars['String']['input']>;
  /** Drives the default aspect taxonomy, e.g. sport-watch, laptop, restaurant. */
  category?: InputMaybe<Scalars['String']['input']>;
  /** 1 to 200 characters. */
  name: Scalars['String']['input'];
  /** 1 to 64 letters, digits and . _ - / (the first a letter or digit). */
  sku: Scalars['String']['input'];
};

export type Query = {
  __typename?: 'Query';
  /** The tenant's moderation policy (needs the moderate scope). */
  moderationPolicy: ModerationPolicy;
  /** The caller's product with this id, or null (also for an id that is not a product id). */
  product?: Maybe<Product>;
  /** The caller's product with this SKU, or null. */
  productBySku?: Maybe<Product>;
  /** Products of the caller's tenant, by SKU. `first` is capped at 100. */
  products: ProductConnection;
  /** The caller's review with this id, or null; a key that may only read gets null for a review that is not PUBLISHED. */
  review?: Maybe<Review>;
  /**
   * The caller's change feed: every creation, edit, status change and deletion of its reviews, in one
   * total order, oldest first, from an index (a page costs its size, however large the store). Each
   * change shows its review as it is now, null once deleted, so applying the changes in order from the
   * start, or from any endCursor you were given, leaves a copy equal to the store. Keep the last
   * endCursor and ask again with it to get what changed since. A change may rarely be listed twice
   * (after a crash); applying it again changes nothing. `first` is capped at 100.
   */
  reviewChanges: ReviewChangeConnection;
  /** The caller's source with this id, or null. */
  source?: Maybe<Source>;
  /** The caller's source with this name (what reviews carry in `source`), or null. */
  sourceByName?: Maybe<Source>;
  /** The caller's tenant's sources, by name. `first` is capped at 100. */
  sources: SourceConnection;
};


export type QueryProductArgs = {
  id: Scalars['ID']['input'];
};


export type QueryProductBySkuArgs = {
  sku: Scalars['String']['input'];
};


export type QueryProductsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryReviewArgs = {
  id: Scalars['ID']['input'];
};


export type QueryReviewChangesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QuerySourceArgs = {
  id: Scalars['ID']['input'];
};


export type QuerySourceByNameArgs = {
  name: Scalars['String']['input'];
};


export type QuerySourcesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** An input item that was refused. */
export type RejectedItem = {
  __typename?: 'RejectedItem';
  /** Why the item was refused. */
  code: RejectionCode;
  /** The input field at fault, when one is. */
  field?: Maybe<Scalars['String']['output']>;
  /** Position of the item in the input list. */
  index: Scalars['Int']['output'];
  /** What was wrong, for people. */
  message: Scalars['String']['output'];
};

/** Why an input item was refused. */
export type RejectionCode =
  /** createdAt is in the future. */
  | 'FUTURE_DATE'
  /** A field's value has the wrong form. */
  | 'INVALID'
  /** Stored, but its event is not on the bus yet (it will be published), or it kept changing under concurrent edits; submit it again. */
  | 'NOT_PUBLISHED'
  /** A value is outside its range (a rating not from 1 to 5, a createdAt before 1990). */
  | 'OUT_OF_RANGE'
  /** A required field is missing or blank. */
  | 'REQUIRED'
  /** The item edits (names a revision of) a review that was deleted. */
  | 'REVIEW_DELETED'
  /** The item edits a revision the review is no longer at. */
  | 'REVISION_CONFLICT'
  /** A field is longer than its limit. */
  | 'TOO_LONG'
  /** The productId names no product of the caller's. */
  | 'UNKNOWN_PRODUCT'
  /** The item edits (names a revision of) a review that is not stored. */
  | 'UNKNOWN_REVIEW';

/** A review of a product. */
export type Review = {
  __typename?: 'Review';
  /** The author's name, if given. */
  author?: Maybe<Scalars['String']['output']>;
  /** When the review was written (the submission's createdAt, or when it was stored). */
  createdAt: Scalars['DateTime']['output'];
  /** The source's own id for the review, if given. */
  externalId?: Maybe<Scalars['String']['output']>;
  /** The review's id. */
  id: Scalars['ID']['output'];
  /** The BCP-47 locale given with the review, if any. */
  locale?: Maybe<Scalars['String']['output']>;
  /** Why the review is PENDING or REJECTED; null when published. */
  moderationReason?: Maybe<Scalars['String']['output']>;
  /** The product reviewed. */
  product: Product;
  /** The star rating, 1 to 5. */
  rating: Scalars['Int']['output'];
  /** 1 when stored, bumped by every edit (a resubmission of its source + externalId with changed content). */
  revision: Scalars['Int']['output'];
  /** What its content suggests: computed when it was stored, and RATING_CONTRADICTS_SENTIMENT once its analysis says so. */
  signals: Array<ReviewSignal>;
  /** Where the review came in from (its submission's `source`). */
  source: Source;
  /** Where the review is in moderation. */
  status: ReviewStatus;
  /** For a syndicated review, the source where it was first published; null otherwise. */
  syndicatedFrom?: Maybe<Source>;
  /** The review's text. */
  text: Scalars['String']['output'];
  /** The title, if given. */
  title?: Maybe<Scalars['String']['output']>;
  /** When the last edit was stored; null if the review was never edited. */
  updatedAt?: Maybe<Scalars['DateTime']['output']>;
};

/** One thing that happened to a review. */
export type ReviewChange = {
  __typename?: 'ReviewChange';
  /** When the change was recorded. */
  at: Scalars['DateTime']['output'];
  /** What happened. */
  kind: ReviewChangeKind;
  /**
   * The review as it is now (it may have changed again since); null once deleted, and for a key that
   * may only read, null while moderation holds or rejects it.
   */
  review?: Maybe<Review>;
  /** The id of the review it happened to. */
  reviewId: Scalars['ID']['output'];
  /** The revision the change made (1 for a creation); null for a deletion. */
  revision?: Maybe<Scalars['Int']['output']>;
};

/** A page of the change feed. */
export type ReviewChangeConnection = {
  __typename?: 'ReviewChangeConnection';
  /** The changes on this page, oldest first. */
  edges: Array<ReviewChangeEdge>;
  /** Whether more follow, and the cursor to ask again with. */
  pageInfo: PageInfo;
};

/** A change and its cursor. */
export type ReviewChangeEdge = {
  __typename?: 'ReviewChangeEdge';
  /** Pass as `after` to read the changes after this one. */
  cursor: Scalars['String']['output'];
  /** The change. */
  node: ReviewChange;
};

/** What happened to a review. */
export type ReviewChangeKind =
  /** The review was stored. */
  | 'CREATED'
  /** The review was deleted. */
  | 'DELETED'
  /** The review's moderation status changed. */
  | 'STATUS_CHANGED'
  /** The review was edited. */
  | 'UPDATED';

/** A page of reviews. */
export type ReviewConnection = {
  __typename?: 'ReviewConnection';
  /** The reviews on this page. */
  edges: Array<ReviewEdge>;
  /** Whether more follow, and the cursor to ask for them. */
  pageInfo: PageInfo;
};

/** A review and its cursor. */
export type ReviewEdge = {
  __typename?: 'ReviewEdge';
  /** Pass as `after` to read on from this review. */
  cursor: Scalars['String']['output'];
  /** The review. */
  node: Review;
};

/** A review to store or edit. */
export type ReviewInput = {
  /** Up to 200 characters. */
  author?: InputMaybe<Scalars['String']['input']>;
  /** When the review was written (ISO-8601); defaults to now; never in the future. */
  createdAt?: InputMaybe<Scalars['String']['input']>;
  /**
   * The source's own id. Resubmitting the same source + externalId finds the stored review: with the
   * same content nothing changes, with changed content (rating, title, text, author, locale, or a
   * createdAt given) it is an edit: same id, next revision. productId cannot change.
   */
  externalId?: InputMaybe<Scalars['String']['input']>;
  /** BCP-47 tag such as en-US; a hint for language detection. */
  locale?: InputMaybe<Scalars['String']['input']>;
  /** The id of a product of the caller's: INVALID when it is not a product id, UNKNOWN_PRODUCT when no such product is stored. */
  productId: Scalars['ID']['input'];
  /** An integer from 1 to 5. Typed Float so that a bad rating rejects only its own item. */
  rating: Scalars['Float']['input'];
  /**
   * Makes the item an edit of this revision of the stored review only: refused with REVIEW_DELETED
   * when the review was deleted, UNKNOWN_REVIEW when none is stored, REVISION_CONFLICT when it is at
   * another revision. Without it, a resubmission creates or edits.
   */
  revision?: InputMaybe<Scalars['Int']['input']>;
  /** Where the review came from, e.g. web, app, partner:acme. Defaults to api. */
  source?: InputMaybe<Scalars['String']['input']>;
  /**
   * For a review syndicated from elsewhere: the name of the source where it was first published, e.g.
   * retailer:acme. It is kept with the review; the identity stays `source` + externalId.
   */
  syndicatedFrom?: InputMaybe<Scalars['String']['input']>;
  /** Not empty, up to 20,000 characters. */
  text: Scalars['String']['input'];
  /** Up to 300 characters. */
  title?: InputMaybe<Scalars['String']['input']>;
};

/** The order of a product's reviews. */
export type ReviewOrder =
  /** Highest rating first, newest first within a rating. */
  | 'HIGHEST_RATING'
  /** Lowest rating first, oldest first within a rating. */
  | 'LOWEST_RATING'
  /** Newest first (by createdAt). */
  | 'NEWEST'
  /** Oldest first (by createdAt). */
  | 'OLDEST';

/**
 * What a review's content suggests: computed when it is stored (the same text always gives the same
 * signals), except RATING_CONTRADICTS_SENTIMENT, which its analysis decides later.
 */
export type ReviewSignal =
  /** The review's author (case and spacing aside) already gave the tenant 5 other reviews in the same clock hour (UTC, by arrival). */
  | 'BURST'
  /** A link, an e-mail address or a phone number in the title or text. */
  | 'LINK_OR_CONTACT'
  /** Another review of the same product has the same text once case, punctuation and spacing are set aside. */
  | 'NEAR_DUPLICATE'
  /**
   * The analysis of the review's current revision contradicts its rating: 4 or 5 stars with sentiment
   * NEGATIVE at a score of -0.9 or lower, or 1 or 2 stars with sentiment POSITIVE at 0.9 or higher.
   * Absent until analysed; an edit clears it until the new text is analysed.
   */
  | 'RATING_CONTRADICTS_SENTIMENT'
  /** A character repeated six times or more (spaces and digits aside). */
  | 'REPEATED_CHARACTERS'
  /**
   * The review's source had already brought the tenant the policy's `sourceBurstLimit` of other new
   * reviews in the same clock hour (UTC, by arrival), across products and calls; resubmissions of
   * stored reviews do not count.
   */
  | 'SOURCE_BURST';

/** A review's place in moderation. Keys that may only read see PUBLISHED reviews alone. */
export type ReviewStatus =
  /** Held by the tenant's moderation policy until a moderator decides. */
  | 'PENDING'
  /** Shown to every key of the tenant. */
  | 'PUBLISHED'
  /** Turned down by a moderator, with a reason. */
  | 'REJECTED';

/**
 * Where reviews come from. A review's `source` input names one; a name no source has yet is created
 * when the first review naming it is stored, with `implicit: true` and a kind read from the part before
 * the first `:` (web/website → WEBSITE, retailer/shop/store → RETAILER, app/appstore/play →
 * APP_STORE, import/csv/file → IMPORT, `api` → WEBSITE, anything else → PARTNER).
 */
export type Source = {
  __typename?: 'Source';
  /** When the source was created. */
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  /** True while the source exists only because reviews named it; createSource or updateSource clear it. */
  implicit: Scalars['Boolean']['output'];
  /** What kind of channel the source is. */
  kind: SourceKind;
  /** Unique per tenant, e.g. retailer:acme; never changes. */
  name: Scalars['String']['output'];
  /** When the source was last created or changed. */
  updatedAt: Scalars['DateTime']['output'];
};

/** A page of sources. */
export type SourceConnection = {
  __typename?: 'SourceConnection';
  /** The sources on this page. */
  edges: Array<SourceEdge>;
  /** Whether more follow, and the cursor to ask for them. */
  pageInfo: PageInfo;
};

/** A source and its cursor. */
export type SourceEdge = {
  __typename?: 'SourceEdge';
  /** Pass as `after` to read on from this source. */
  cursor: Scalars['String']['output'];
  /** The source. */
  node: Source;
};

/** The kind of channel a source is. */
export type SourceKind =
  /** An app store. */
  | 'APP_STORE'
  /** An import, e.g. from a file. */
  | 'IMPORT'
  /** A partner (also the kind of an implicit source's name of no other kind). */
  | 'PARTNER'
  /** A retailer. */
  | 'RETAILER'
  /** A website (also the kind of the default source name `api`). */
  | 'WEBSITE';

/** Reviews to store. */
export type SubmitReviewsInput = {
  /**
   * Makes a retry safe: a call with a key already used with the same reviews returns the first call's
   * result without storing anything; with other reviews it is refused (IDEMPOTENCY_KEY_REUSED), and
   * while the first call runs a retry waits for it (up to 20 s, then IDEMPOTENCY_KEY_IN_USE). Keys
   * are per tenant, up to 200 printable characters (e.g. a UUID), and expire 24 hours after first use.
   */
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  /** At most 500; invalid items are refused one by one, the rest stored. */
  reviews: Array<ReviewInput>;
};

/** What submitReviews stored and refused. */
export type SubmitReviewsPayload = {
  __typename?: 'SubmitReviewsPayload';
  /** The items stored (or found already stored), by their position in the input. */
  accepted: Array<AcceptedReview>;
  /** The items refused, by their position in the input. */
  rejected: Array<RejectedItem>;
};

/** A source's new kind. */
export type UpdateSourceInput = {
  /** The source's id. */
  id: Scalars['ID']['input'];
  /** The kind it takes. */
  kind: SourceKind;
};

/** Products to create or update. */
export type UpsertProductsInput = {
  /** At most 500; each is created, or updated when its SKU exists. */
  products: Array<ProductInput>;
};

/** What upsertProducts stored and refused. */
export type UpsertProductsPayload = {
  __typename?: 'UpsertProductsPayload';
  /** The products stored, as they are now. */
  products: Array<Product>;
  /** The items refused, by their position in the input. */
  rejected: Array<RejectedItem>;
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
  Product: Product;
  Review: Review;
  Source: Source;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Product:
    ( { __typename: 'Product' }
    & GraphQLRecursivePick<FederationTypes['Product'], {"id":true}> );
  Review:
    ( { __typename: 'Review' }
    & GraphQLRecursivePick<FederationTypes['Review'], {"id":true}> );
  Source:
    ( { __typename: 'Source' }
    & GraphQLRecursivePick<FederationTypes['Source'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  AcceptedReview: ResolverTypeWrapper<AcceptedReview>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  CreateSourceInput: CreateSourceInput;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  DeleteReviewsPayload: ResolverTypeWrapper<DeleteReviewsPayload>;
  ModerateReviewsPayload: ResolverTypeWrapper<Omit<ModerateReviewsPayload, 'moderated'> & { moderated: Array<ResolversTypes['Review']> }>;
  ModerationPolicy: ResolverTypeWrapper<ModerationPolicyView>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Product: ResolverTypeWrapper<ProductDocument>;
  ProductConnection: ResolverTypeWrapper<Omit<ProductConnection, 'edges'> & { edges: Array<ResolversTypes['ProductEdge']> }>;
  ProductEdge: ResolverTypeWrapper<Omit<ProductEdge, 'node'> & { node: ResolversTypes['Product'] }>;
  ProductInput: ProductInput;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RejectedItem: ResolverTypeWrapper<RejectedItem>;
  RejectionCode: RejectionCode;
  Review: ResolverTypeWrapper<ReviewDocument>;
  ReviewChange: ResolverTypeWrapper<ReviewChangeNode>;
  ReviewChangeConnection: ResolverTypeWrapper<Omit<ReviewChangeConnection, 'edges'> & { edges: Array<ResolversTypes['ReviewChangeEdge']> }>;
  ReviewChangeEdge: ResolverTypeWrapper<Omit<ReviewChangeEdge, 'node'> & { node: ResolversTypes['ReviewChange'] }>;
  ReviewChangeKind: ReviewChangeKind;
  ReviewConnection: ResolverTypeWrapper<Omit<ReviewConnection, 'edges'> & { edges: Array<ResolversTypes['ReviewEdge']> }>;
  ReviewEdge: ResolverTypeWrapper<Omit<ReviewEdge, 'node'> & { node: ResolversTypes['Review'] }>;
  ReviewInput: ReviewInput;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  ReviewOrder: ReviewOrder;
  ReviewSignal: ReviewSignal;
  ReviewStatus: ReviewStatus;
  Source: ResolverTypeWrapper<SourceDocument>;
  SourceConnection: ResolverTypeWrapper<Omit<SourceConnection, 'edges'> & { edges: Array<ResolversTypes['SourceEdge']> }>;
  SourceEdge: ResolverTypeWrapper<Omit<SourceEdge, 'node'> & { node: ResolversTypes['Source'] }>;
  SourceKind: SourceKind;
  SubmitReviewsInput: SubmitReviewsInput;
  SubmitReviewsPayload: ResolverTypeWrapper<SubmitReviewsPayload>;
  UpdateSourceInput: UpdateSourceInput;
  UpsertProductsInput: UpsertProductsInput;
  UpsertProductsPayload: ResolverTypeWrapper<Omit<UpsertProductsPayload, 'products'> & { products: Array<ResolversTypes['Product']> }>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  AcceptedReview: AcceptedReview;
  Boolean: Scalars['Boolean']['output'];
  ID: Scalars['ID']['output'];
  Int: Scalars['Int']['output'];
  CreateSourceInput: CreateSourceInput;
  String: Scalars['String']['output'];
  DateTime: Scalars['DateTime']['output'];
  DeleteReviewsPayload: DeleteReviewsPayload;
  ModerateReviewsPayload: Omit<ModerateReviewsPayload, 'moderated'> & { moderated: Array<ResolversParentTypes['Review']> };
  ModerationPolicy: ModerationPolicyView;
  Mutation: Record<PropertyKey, never>;
  PageInfo: PageInfo;
  Product: ProductDocument;
  ProductConnection: Omit<ProductConnection, 'edges'> & { edges: Array<ResolversParentTypes['ProductEdge']> };
  ProductEdge: Omit<ProductEdge, 'node'> & { node: ResolversParentTypes['Product'] };
  ProductInput: ProductInput;
  Query: Record<PropertyKey, never>;
  RejectedItem: RejectedItem;
  Review: ReviewDocument;
  ReviewChange: ReviewChangeNode;
  ReviewChangeConnection: Omit<ReviewChangeConnection, 'edges'> & { edges: Array<ResolversParentTypes['ReviewChangeEdge']> };
  ReviewChangeEdge: Omit<ReviewChangeEdge, 'node'> & { node: ResolversParentTypes['ReviewChange'] };
  ReviewConnection: Omit<ReviewConnection, 'edges'> & { edges: Array<ResolversParentTypes['ReviewEdge']> };
  ReviewEdge: Omit<ReviewEdge, 'node'> & { node: ResolversParentTypes['Review'] };
  ReviewInput: ReviewInput;
  Float: Scalars['Float']['output'];
  Source: SourceDocument;
  SourceConnection: Omit<SourceConnection, 'edges'> & { edges: Array<ResolversParentTypes['SourceEdge']> };
  SourceEdge: Omit<SourceEdge, 'node'> & { node: ResolversParentTypes['Source'] };
  SubmitReviewsInput: SubmitReviewsInput;
  SubmitReviewsPayload: SubmitReviewsPayload;
  UpdateSourceInput: UpdateSourceInput;
  UpsertProductsInput: UpsertProductsInput;
  UpsertProductsPayload: Omit<UpsertProductsPayload, 'products'> & { products: Array<ResolversParentTypes['Product']> };
}>;

export type AcceptedReviewResolvers<ContextType = CollectionContext, ParentType extends ResolversParentTypes['AcceptedReview'] = ResolversParentTypes['AcceptedReview']> = ResolversObject<{
  duplicate?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  edited?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  index?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  revision?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type DeleteReviewsPayloadResolvers<ContextType = CollectionContext, ParentType extends ResolversParentTypes['DeleteReviewsPayload'] = ResolversParentTypes['DeleteReviewsPayload']> = ResolversObject<{
  deleted?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType>;
  notFound?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType>;
  pending?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType>;
}>;

export type ModerateReviewsPayloadResolvers<ContextType = CollectionContext, ParentType extends ResolversParentTypes['ModerateReviewsPayload'] = ResolversParentTypes['ModerateReviewsPayload']> = ResolversObject<{
  moderated?: Resolver<Array<ResolversTypes['Review']>, ParentType, ContextType>;
  notFound?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType>;
  pending?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType>;
}>;

export type ModerationPolicyResolvers<ContextType = CollectionContext, ParentType extends ResolversParentTypes['ModerationPolicy'] = ResolversParentTypes['ModerationPolicy']> = ResolversObject<{
  hold?: Resolver<Array<ResolversTypes['ReviewSignal']>, ParentType, ContextType>;
  sourceBurstLimit?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  updatedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = CollectionContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  createSource?: Resolver<ResolversTypes['Source'], ParentType, ContextType, RequireFields<MutationCreateSourceArgs, 'input'>>;
  deleteReviews?: Resolver<ResolversTypes['DeleteReviewsPayload'], ParentType, ContextType, RequireFields<MutationDeleteReviewsArgs, 'ids'>>;
  moderateReviews?: Resolver<ResolversTypes['ModerateReviewsPayload'], ParentType, ContextType, RequireFields<MutationModerateReviewsArgs, 'ids' | 'status'>>;
  setModerationPolicy?: Resolver<ResolversTypes['ModerationPolicy'], ParentType, ContextType, RequireFields<MutationSetModerationPolicyArgs, 'hold'>>;
  submitReviews?: Resolver<ResolversTypes['SubmitReviewsPayload'], ParentType, ContextType, RequireFields<MutationSubmitReviewsArgs, 'input'>>;
  updateSource?: Resolver<ResolversTypes['Source'], ParentType, ContextType, RequireFields<MutationUpdateSourceArgs, 'input'>>;
  upsertProducts?: Resolver<ResolversTypes['UpsertProductsPayload'], ParentType, ContextType, RequireFields<MutationUpsertProductsArgs, 'input'>>;
}>;

export type PageInfoResolvers<ContextType = CollectionContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type ProductResolvers<ContextType = CollectionContext, ParentType extends ResolversParentTypes['Product'] = ResolversParentTypes['Product'], FederationReferenceType extends FederationReferenceTypes['Product'] = FederationReferenceTypes['Product']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Product']> | FederationReferenceType, FederationReferenceType, ContextType>;
  brand?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  category?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  reviews?: Resolver<ResolversTypes['ReviewConnection'], ParentType, ContextType, RequireFields<ProductReviewsArgs, 'first' | 'orderBy'>>;
  sku?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type ProductConnectionResolvers<ContextType = CollectionContext, ParentType extends ResolversParentTypes['ProductConnection'] = ResolversParentTypes['ProductConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['ProductEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
}>;

export type ProductEdgeResolvers<ContextType = CollectionContext, ParentType extends ResolversParentTypes['ProductEdge'] = ResolversParentTypes['ProductEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Product'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = CollectionContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  moderationPolicy?: Resolver<ResolversTypes['ModerationPolicy'], ParentType, ContextType>;
  product?: Resolver<Maybe<ResolversTypes['Product']>, ParentType, ContextType, RequireFields<QueryProductArgs, 'id'>>;
  productBySku?: Resolver<Maybe<ResolversTypes['Product']>, ParentType, ContextType, RequireFields<QueryProductBySkuArgs, 'sku'>>;
  products?: Resolver<ResolversTypes['ProductConnection'], ParentType, ContextType, RequireFields<QueryProductsArgs, 'first'>>;
  review?: Resolver<Maybe<ResolversTypes['Review']>, ParentType, ContextType, RequireFields<QueryReviewArgs, 'id'>>;
  reviewChanges?: Resolver<ResolversTypes['ReviewChangeConnection'], ParentType, ContextType, RequireFields<QueryReviewChangesArgs, 'first'>>;
  source?: Resolver<Maybe<ResolversTypes['Source']>, ParentType, ContextType, RequireFields<QuerySourceArgs, 'id'>>;
  sourceByName?: Resolver<Maybe<ResolversTypes['Source']>, ParentType, ContextType, RequireFields<QuerySourceByNameArgs, 'name'>>;
  sources?: Resolver<ResolversTypes['SourceConnection'], ParentType, ContextType, RequireFields<QuerySourcesArgs, 'first'>>;
}>;

export type RejectedItemResolvers<ContextType = CollectionContext, ParentType extends ResolversParentTypes['RejectedItem'] = ResolversParentTypes['RejectedItem']> = ResolversObject<{
  code?: Resolver<ResolversTypes['RejectionCode'], ParentType, ContextType>;
  field?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  index?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type ReviewResolvers<ContextType = CollectionContext, ParentType extends ResolversParentTypes['Review'] = ResolversParentTypes['Review'], FederationReferenceType extends FederationReferenceTypes['Review'] = FederationReferenceTypes['Review']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Review']> | FederationReferenceType, FederationReferenceType, ContextType>;
  author?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  externalId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  locale?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  moderationReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  product?: Resolver<ResolversTypes['Product'], ParentType, ContextType>;
  rating?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  revision?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  signals?: Resolver<Array<ResolversTypes['ReviewSignal']>, ParentType, ContextType>;
  source?: Resolver<ResolversTypes['Source'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['ReviewStatus'], ParentType, ContextType>;
  syndicatedFrom?: Resolver<Maybe<ResolversTypes['Source']>, ParentType, ContextType>;
  text?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  title?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  updatedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
}>;

export type ReviewChangeResolvers<ContextType = CollectionContext, ParentType extends ResolversParentTypes['ReviewChange'] = ResolversParentTypes['ReviewChange']> = ResolversObject<{
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['ReviewChangeKind'], ParentType, ContextType>;
  review?: Resolver<Maybe<ResolversTypes['Review']>, ParentType, ContextType>;
  reviewId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  revision?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
}>;

export type ReviewChangeConnectionResolvers<ContextType = CollectionContext, ParentType extends ResolversParentTypes['ReviewChangeConnection'] = ResolversParentTypes['ReviewChangeConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['ReviewChangeEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
}>;

export type ReviewChangeEdgeResolvers<ContextType = CollectionContext, ParentType extends ResolversParentTypes['ReviewChangeEdge'] = ResolversParentTypes['ReviewChangeEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['ReviewChange'], ParentType, ContextType>;
}>;

export type ReviewConnectionResolvers<ContextType = CollectionContext, ParentType extends ResolversParentTypes['ReviewConnection'] = ResolversParentTypes['ReviewConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['ReviewEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
}>;

export type ReviewEdgeResolvers<ContextType = CollectionContext, ParentType extends ResolversParentTypes['ReviewEdge'] = ResolversParentTypes['ReviewEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Review'], ParentType, ContextType>;
}>;

export type SourceResolvers<ContextType = CollectionContext, ParentType extends ResolversParentTypes['Source'] = ResolversParentTypes['Source'], FederationReferenceType extends FederationReferenceTypes['Source'] = FederationReferenceTypes['Source']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Source']> | FederationReferenceType, FederationReferenceType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  implicit?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['SourceKind'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
}>;

export type SourceConnectionResolvers<ContextType = CollectionContext, ParentType extends ResolversParentTypes['SourceConnection'] = ResolversParentTypes['SourceConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['SourceEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
}>;

export type SourceEdgeResolvers<ContextType = CollectionContext, ParentType extends ResolversParentTypes['SourceEdge'] = ResolversParentTypes['SourceEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Source'], ParentType, ContextType>;
}>;

export type SubmitReviewsPayloadResolvers<ContextType = CollectionContext, ParentType extends ResolversParentTypes['SubmitReviewsPayload'] = ResolversParentTypes['SubmitReviewsPayload']> = ResolversObject<{
  accepted?: Resolver<Array<ResolversTypes['AcceptedReview']>, ParentType, ContextType>;
  rejected?: Resolver<Array<ResolversTypes['RejectedItem']>, ParentType, ContextType>;
}>;

export type UpsertProductsPayloadResolvers<ContextType = CollectionContext, ParentType extends ResolversParentTypes['UpsertProductsPayload'] = ResolversParentTypes['UpsertProductsPayload']> = ResolversObject<{
  products?: Resolver<Array<ResolversTypes['Product']>, ParentType, ContextType>;
  rejected?: Resolver<Array<ResolversTypes['RejectedItem']>, ParentType, ContextType>;
}>;

export type Resolvers<ContextType = CollectionContext> = ResolversObject<{
  AcceptedReview?: AcceptedReviewResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  DeleteReviewsPayload?: DeleteReviewsPayloadResolvers<ContextType>;
  ModerateReviewsPayload?: ModerateReviewsPayloadResolvers<ContextType>;
  ModerationPolicy?: ModerationPolicyResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Product?: ProductResolvers<ContextType>;
  ProductConnection?: ProductConnectionResolvers<ContextType>;
  ProductEdge?: ProductEdgeResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  RejectedItem?: RejectedItemResolvers<ContextType>;
  Review?: ReviewResolvers<ContextType>;
  ReviewChange?: ReviewChangeResolvers<ContextType>;
  ReviewChangeConnection?: ReviewChangeConnectionResolvers<ContextType>;
  ReviewChangeEdge?: ReviewChangeEdgeResolvers<ContextType>;
  ReviewConnection?: ReviewConnectionResolvers<ContextType>;
  ReviewEdge?: ReviewEdgeResolvers<ContextType>;
  Source?: SourceResolvers<ContextType>;
  SourceConnection?: SourceConnectionResolvers<ContextType>;
  SourceEdge?: SourceEdgeResolvers<ContextType>;
  SubmitReviewsPayload?: SubmitReviewsPayloadResolvers<ContextType>;
  UpsertProductsPayload?: UpsertProductsPayloadResolvers<ContextType>;
}>;

