import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { AnalysisDocument } from '../models/analysis.js';
import type { TextAnalysis as EngineTextAnalysis } from '../nlp/index.js';
import type { AnalysisContext } from '../context.js';
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
  /** An ISO-8601 date-time string in UTC. */
  DateTime: { input: string; output: string; }
  _FieldSet: { input: unknown; output: unknown; }
};

/** Where a text or review is in analysis. */
export type AnalysisStatus =
  /** The review was deleted; its analysis was removed. */
  | 'DELETED'
  /** Fully analysed (English). */
  | 'DONE'
  /** Analysis failed after retries; see statusReason. */
  | 'FAILED'
  /** Nothing analysable (empty, markup or symbols only). */
  | 'NO_TEXT'
  /** Queued for analysis. */
  | 'PENDING'
  /** Language detected, but the language is not analysed yet: no sentiment or aspects. */
  | 'UNSUPPORTED_LANGUAGE';

/** A canonical aspect and the terms that map to it for one product category. */
export type AspectDefinition = {
  __typename?: 'AspectDefinition';
  /** The canonical aspect, e.g. battery. */
  aspect: Scalars['String']['output'];
  /** True when the caller's tenant added terms to this aspect. */
  custom: Scalars['Boolean']['output'];
  /** The words that map to it. */
  terms: Array<Scalars['String']['output']>;
};

/** One aspect of the product a text talks about, with the opinion on it. */
export type AspectSentiment = {
  __typename?: 'AspectSentiment';
  /** Canonical aspect, e.g. battery. */
  aspect: Scalars['String']['output'];
  /** The opinion on the aspect. */
  polarity: Polarity;
  /** The analyser's confidence in the polarity. */
  score: Scalars['Float']['output'];
  /** The clause the aspect was found in. */
  snippet: Scalars['String']['output'];
  /** Where the term is in the text. */
  span: TextSpan;
  /** The words as written, e.g. battery life. */
  term: Scalars['String']['output'];
};

/** A span of text that pushed the sentiment one way. */
export type Evidence = {
  __typename?: 'Evidence';
  /** Which way it pushed. */
  polarity: Polarity;
  /** Where it is in the text. */
  span: TextSpan;
  /** How strongly it pushed (larger is stronger); evidence is listed strongest first. */
  weight: Scalars['Float']['output'];
};

/** Terms to add to a canonical aspect. */
export type ExtendAspectTaxonomyInput = {
  /** Canonical aspect: lowercase letters, digits, spaces, / and - (up to 40). */
  aspect: Scalars['String']['input'];
  /** The product category the terms are for, a lowercase slug such as sport-watch; none: every category. */
  category?: InputMaybe<Scalars['String']['input']>;
  /** 1 to 50 terms, each up to 60 characters. */
  terms: Array<Scalars['String']['input']>;
};

export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Adds terms that map to a canonical aspect for one product category (or every category when none
   * is given), e.g. aspect "battery" with terms ["juice", "stamina"]. Reviews analysed from then on use them.
   */
  extendAspectTaxonomy: Array<AspectDefinition>;
};


export type MutationExtendAspectTaxonomyArgs = {
  input: ExtendAspectTaxonomyInput;
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

/** The direction of an opinion. */
export type Polarity =
  | 'NEGATIVE'
  | 'NEUTRAL'
  | 'POSITIVE';

export type Product = {
  __typename?: 'Product';
  id: Scalars['ID']['output'];
  /**
   * Reviews that mention a canonical aspect (e.g. battery), optionally with one polarity, newest analysed first. `first` is capped at 100.
   * Null, with an error, when the analysis service fails or times out: the rest of the product still answers.
   */
  reviewsMentioning?: Maybe<ReviewConnection>;
};


export type ProductReviewsMentioningArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  aspect: Scalars['String']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  polarity?: InputMaybe<Polarity>;
};

export type Query = {
  __typename?: 'Query';
  /** Analyses a text synchronously without storing it (at most 5,000 characters). Null, with an error, when the analysis service fails or times out. */
  analyzeText?: Maybe<TextAnalysis>;
  /** The aspects recognised for a product category: the defaults plus the caller's own terms. Null, with an error, when the analysis service fails or times out. */
  aspectTaxonomy?: Maybe<Array<AspectDefinition>>;
};


export type QueryAnalyzeTextArgs = {
  category?: InputMaybe<Scalars['String']['input']>;
  locale?: InputMaybe<Scalars['String']['input']>;
  text: Scalars['String']['input'];
};


export type QueryAspectTaxonomyArgs = {
  category?: InputMaybe<Scalars['String']['input']>;
};

export type Review = {
  __typename?: 'Review';
  /** Null until the review's event reaches the analysis service. */
  analysis?: Maybe<ReviewAnalysis>;
  id: Scalars['ID']['output'];
};

/** The analysis of a stored review, kept up to date by the analysis workers. */
export type ReviewAnalysis = {
  __typename?: 'ReviewAnalysis';
  /** When the analysis was stored; null while PENDING. */
  analyzedAt?: Maybe<Scalars['DateTime']['output']>;
  /** The aspects the review talks about; empty unless DONE. */
  aspects: Array<AspectSentiment>;
  /** The spans that pushed the sentiment, strongest first. */
  evidence: Array<Evidence>;
  /** Key phrases of the text. */
  keyphrases: Array<Scalars['String']['output']>;
  /** ISO 639-1 code, e.g. en; null when undeterminable. */
  language?: Maybe<Scalars['String']['output']>;
  /** How sure the language detection is, from 0 to 1; null while PENDING or once DELETED. */
  languageConfidence?: Maybe<Scalars['Float']['output']>;
  /** The analysis model's version; null while PENDING or once DELETED. */
  modelVersion?: Maybe<Scalars['String']['output']>;
  /** The overall opinion; null unless DONE. */
  sentiment?: Maybe<Sentiment>;
  /** Where the review is in analysis. */
  status: AnalysisStatus;
  /** Why the status is what it is, for people (e.g. the language detected); null when there is nothing to add. */
  statusReason?: Maybe<Scalars['String']['output']>;
};

export type ReviewConnection = {
  __typename?: 'ReviewConnection';
  edges: Array<ReviewEdge>;
  pageInfo: PageInfo;
};

export type ReviewEdge = {
  __typename?: 'ReviewEdge';
  cursor: Scalars['String']['output'];
  node: Review;
};

/** The overall opinion of a text. */
export type Sentiment = {
  __typename?: 'Sentiment';
  /** Positive, neutral or negative. */
  label: Polarity;
  /** From -1 (most negative) to 1 (most positive). */
  score: Scalars['Float']['output'];
};

/** The analysis of a text that is not stored (analyzeText). */
export type TextAnalysis = {
  __typename?: 'TextAnalysis';
  /** The aspects the text talks about; empty unless DONE. */
  aspects: Array<AspectSentiment>;
  /** The spans that pushed the sentiment, strongest first. */
  evidence: Array<Evidence>;
  /** Key phrases of the text. */
  keyphrases: Array<Scalars['String']['output']>;
  /** ISO 639-1 code, e.g. en; null when undeterminable. */
  language?: Maybe<Scalars['String']['output']>;
  /** How sure the language detection is, from 0 to 1. */
  languageConfidence?: Maybe<Scalars['Float']['output']>;
  /** The analysis model's version. */
  modelVersion: Scalars['String']['output'];
  /** The overall opinion; null unless DONE. */
  sentiment?: Maybe<Sentiment>;
  /** What came of the analysis. */
  status: AnalysisStatus;
  /** Why the status is what it is, for people (e.g. the language detected); null when there is nothing to add. */
  statusReason?: Maybe<Scalars['String']['output']>;
};

/** A character range in the review text (UTF-16 offsets, end exclusive). */
export type TextSpan = {
  __typename?: 'TextSpan';
  /** Offset after the last character (exclusive). */
  end: Scalars['Int']['output'];
  /** Offset of the first character (inclusive). */
  start: Scalars['Int']['output'];
  /** The text of the range. */
  text: Scalars['String']['output'];
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
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Product:
    ( { __typename: 'Product' }
    & GraphQLRecursivePick<FederationTypes['Product'], {"id":true}> );
  Review:
    ( { __typename: 'Review' }
    & GraphQLRecursivePick<FederationTypes['Review'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  AnalysisStatus: AnalysisStatus;
  AspectDefinition: ResolverTypeWrapper<AspectDefinition>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  AspectSentiment: ResolverTypeWrapper<AspectSentiment>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Evidence: ResolverTypeWrapper<Evidence>;
  ExtendAspectTaxonomyInput: ExtendAspectTaxonomyInput;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Polarity: Polarity;
  Product: ResolverTypeWrapper<Omit<Product, 'reviewsMentioning'> & { reviewsMentioning?: Maybe<ResolversTypes['ReviewConnection']> }>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Review: ResolverTypeWrapper<Omit<Review, 'analysis'> & { analysis?: Maybe<ResolversTypes['ReviewAnalysis']> }>;
  ReviewAnalysis: ResolverTypeWrapper<AnalysisDocument>;
  ReviewConnection: ResolverTypeWrapper<Omit<ReviewConnection, 'edges'> & { edges: Array<ResolversTypes['ReviewEdge']> }>;
  ReviewEdge: ResolverTypeWrapper<Omit<ReviewEdge, 'node'> & { node: ResolversTypes['Review'] }>;
  Sentiment: ResolverTypeWrapper<Sentiment>;
  TextAnalysis: ResolverTypeWrapper<EngineTextAnalysis>;
  TextSpan: ResolverTypeWrapper<TextSpan>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  AspectDefinition: AspectDefinition;
  String: Scalars['String']['output'];
  Boolean: Scalars['Boolean']['output'];
  AspectSentiment: AspectSentiment;
  Float: Scalars['Float']['output'];
  DateTime: Scalars['DateTime']['output'];
  Evidence: Evidence;
  ExtendAspectTaxonomyInput: ExtendAspectTaxonomyInput;
  Mutation: Record<PropertyKey, never>;
  PageInfo: PageInfo;
  Product: Omit<Product, 'reviewsMentioning'> & { reviewsMentioning?: Maybe<ResolversParentTypes['ReviewConnection']> } | FederationReferenceTypes['Product'];
  ID: Scalars['ID']['output'];
  Int: Scalars['Int']['output'];
  Query: Record<PropertyKey, never>;
  Review: Omit<Review, 'analysis'> & { analysis?: Maybe<ResolversParentTypes['ReviewAnalysis']> } | FederationReferenceTypes['Review'];
  ReviewAnalysis: AnalysisDocument;
  ReviewConnection: Omit<ReviewConnection, 'edges'> & { edges: Array<ResolversParentTypes['ReviewEdge']> };
  ReviewEdge: Omit<ReviewEdge, 'node'> & { node: ResolversParentTypes['Review'] };
  Sentiment: Sentiment;
  TextAnalysis: EngineTextAnalysis;
  TextSpan: TextSpan;
}>;

export type AspectDefinitionResolvers<ContextType = AnalysisContext, ParentType extends ResolversParentTypes['AspectDefinition'] = ResolversParentTypes['AspectDefinition']> = ResolversObject<{
  aspect?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  custom?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  terms?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type AspectSentimentResolvers<ContextType = AnalysisContext, ParentType extends ResolversParentTypes['AspectSentiment'] = ResolversParentTypes['AspectSentiment']> = ResolversObject<{
  aspect?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  polarity?: Resolver<ResolversTypes['Polarity'], ParentType, ContextType>;
  score?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  snippet?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  span?: Resolver<ResolversTypes['TextSpan'], ParentType, ContextType>;
  term?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type EvidenceResolvers<ContextType = AnalysisContext, ParentType extends ResolversParentTypes['Evidence'] = ResolversParentTypes['Evidence']> = ResolversObject<{
  polarity?: Resolver<ResolversTypes['Polarity'], ParentType, ContextType>;
  span?: Resolver<ResolversTypes['TextSpan'], ParentType, ContextType>;
  weight?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = AnalysisContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  extendAspectTaxonomy?: Resolver<Array<ResolversTypes['AspectDefinition']>, ParentType, ContextType, RequireFields<MutationExtendAspectTaxonomyArgs, 'input'>>;
}>;

export type PageInfoResolvers<ContextType = AnalysisContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type ProductResolvers<ContextType = AnalysisContext, ParentType extends ResolversParentTypes['Product'] = ResolversParentTypes['Product'], FederationReferenceType extends FederationReferenceTypes['Product'] = FederationReferenceTypes['Product']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Product']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  reviewsMentioning?: Resolver<Maybe<ResolversTypes['ReviewConnection']>, ParentType, ContextType, RequireFields<ProductReviewsMentioningArgs, 'aspect' | 'first'>>;
}>;

export type QueryResolvers<ContextType = AnalysisContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  analyzeText?: Resolver<Maybe<ResolversTypes['TextAnalysis']>, ParentType, ContextType, RequireFields<QueryAnalyzeTextArgs, 'text'>>;
  aspectTaxonomy?: Resolver<Maybe<Array<ResolversTypes['AspectDefinition']>>, ParentType, ContextType, Partial<QueryAspectTaxonomyArgs>>;
}>;

export type ReviewResolvers<ContextType = AnalysisContext, ParentType extends ResolversParentTypes['Review'] = ResolversParentTypes['Review'], FederationReferenceType extends FederationReferenceTypes['Review'] = FederationReferenceTypes['Review']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Review']> | FederationReferenceType, FederationReferenceType, ContextType>;
  analysis?: Resolver<Maybe<ResolversTypes['ReviewAnalysis']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type ReviewAnalysisResolvers<ContextType = AnalysisContext, ParentType extends ResolversParentTypes['ReviewAnalysis'] = ResolversParentTypes['ReviewAnalysis']> = ResolversObject<{
  analyzedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  aspects?: Resolver<Array<ResolversTypes['AspectSentiment']>, ParentType, ContextType>;
  evidence?: Resolver<Array<ResolversTypes['Evidence']>, ParentType, ContextType>;
  keyphrases?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  language?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  languageConfidence?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  modelVersion?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  sentiment?: Resolver<Maybe<ResolversTypes['Sentiment']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['AnalysisStatus'], ParentType, ContextType>;
  statusReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type ReviewConnectionResolvers<ContextType = AnalysisContext, ParentType extends ResolversParentTypes['ReviewConnection'] = ResolversParentTypes['ReviewConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['ReviewEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
}>;

export type ReviewEdgeResolvers<ContextType = AnalysisContext, ParentType extends ResolversParentTypes['ReviewEdge'] = ResolversParentTypes['ReviewEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Review'], ParentType, ContextType>;
}>;

export type SentimentResolvers<ContextType = AnalysisContext, ParentType extends ResolversParentTypes['Sentiment'] = ResolversParentTypes['Sentiment']> = ResolversObject<{
  label?: Resolver<ResolversTypes['Polarity'], ParentType, ContextType>;
  score?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
}>;

export type TextAnalysisResolvers<ContextType = AnalysisContext, ParentType extends ResolversParentTypes['TextAnalysis'] = ResolversParentTypes['TextAnalysis']> = ResolversObject<{
  aspects?: Resolver<Array<ResolversTypes['AspectSentiment']>, ParentType, ContextType>;
  evidence?: Resolver<Array<ResolversTypes['Evidence']>, ParentType, ContextType>;
  keyphrases?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  language?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  languageConfidence?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  modelVersion?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  sentiment?: Resolver<Maybe<ResolversTypes['Sentiment']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['AnalysisStatus'], ParentType, ContextType>;
  statusReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type TextSpanResolvers<ContextType = AnalysisContext, ParentType extends ResolversParentTypes['TextSpan'] = ResolversParentTypes['TextSpan']> = ResolversObject<{
  end?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  start?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  text?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = AnalysisContext> = ResolversObject<{
  AspectDefinition?: AspectDefinitionResolvers<ContextType>;
  AspectSentiment?: AspectSentimentResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  Evidence?: EvidenceResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Product?: ProductResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Review?: ReviewResolvers<ContextType>;
  ReviewAnalysis?: ReviewAnalysisResolvers<ContextType>;
  ReviewConnection?: ReviewConnectionResolvers<ContextType>;
  ReviewEdge?: ReviewEdgeResolvers<ContextType>;
  Sentiment?: SentimentResolvers<ContextType>;
  TextAnalysis?: TextAnalysisResolvers<ContextType>;
  TextSpan?: TextSpanResolvers<ContextType>;
}>;

