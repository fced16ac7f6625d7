import type { AspectMention, EvidenceSpan, Polarity, TextAnalysis } from '../nlp/index.js';
import type { ReviewStatus } from './review-visibility.js';

export type AnalysisStatus = 'PENDING' | 'DONE' | 'UNSUPPORTED_LANGUAGE' | 'NO_TEXT' | 'FAILED' | 'DELETED';

/** What analysis keeps per review: the event-carried input (so it can re-analyse) and the current result. */
export interface AnalysisDocument {
  _id: string;
  tenantId: string;
  productId: string;
  productCategory: string | null;
  text: string;
  locale: string | null;
  reviewCreatedAt: Date;
  status: AnalysisStatus;
  statusReason: string | null;
  sentiment: { label: Polarity; score: number } | null;
  aspects: AspectMention[];
  language: string | null;
  languageConfidence: number | null;
  keyphrases: string[];
  evidence: EvidenceSpan[];
  modelVersion: string | null;
  analyzedAt: Date | null;
  /** Bumped on every new result; applications uses it to apply each result once. */
  revision: number;
  /** The sentiment label this result replaced, so downstream counts move rather than double. */
  previousLabel: Polarity | null;
  /** The review revision (edit) the analysed text belongs to (absent: 1). */
  reviewRevision?: number;
}

/** Input the analysis worker needs for a review, as carried by `review.submitted`. */
export interface ReviewToAnalyse {
  reviewId: string;
  tenantId: string;
  productId: string;
  productCategory: string | null;
  text: string;
  locale: string | null;
  createdAt: string;
  /** The review's revision this text is (absent: 1); an older revision never replaces a newer one's result. */
  revision?: number;
  /** The review's moderation status when the event was made (absent: a re-analysis request, or an event from before moderation). */
  status?: ReviewStatus;
}

/** The mention index keys of a result: one per (aspect, polarity) and one per aspect for any polarity. */
export function mentionKeys(productId: string, aspects: readonly { aspect: string; polarity: Polarity }[]): string[] {
  const keys = new Set<string>();
  for (const { aspect, polarity } of aspects) {
    keys.add(mentionKey(productId, aspect, polarity));
    keys.add(mentionKey(productId, aspect, null));
  }
  return [...keys];
}

export function mentionKey(productId: string, aspect: string, polarity: Polarity | null): string {
  return `${productId}|${aspect.toLowerCase()}|${polarity ?? 'ANY'}`;
}

/** The stored form of an engine result. */
export function resultFields(result: TextAnalysis, now: Date): Pick<AnalysisDocument, 'status' | 'statusReason' | 'sentiment' | 'aspects' | 'language' | 'languageConfidence' | 'keyphrases' | 'evidence' | 'modelVersion' | 'analyzedAt'> {
  return {
    status: result.status,
    statusReason: result.statusReason,
    sentiment: result.sentiment,
    aspects: result.aspects,
    language: result.language,
    languageConfidence: result.languageConfidence,
    keyphrases: result.keyphrases,
    evidence: result.evidence,
    modelVersion: result.modelVersion,
    analyzedAt: now,
  };
}

export const REVIEW_ANALYZED = 'review.analyzed';

/** What `review.analyzed` tells the services downstream. */
export interface ReviewAnalyzedData {
  reviewId: string;
  productId: string;
  status: AnalysisStatus;
  label: Polarity | null;
  /** The document sentiment score (-1 to 1) behind `label`; null without one (absent on events from before it). */
  score?: number | null;
  previousLabel: Polarity | null;
  revision: number;
  /** The review revision (edit) whose text this result is of, so a consumer can tell a result of an older text (absent on events from before it). */
  reviewRevision?: number;
  modelVersion: string | null;
  /** score (confidence), snippet and its span [start, end) in the review text let applications quote the mention. */
  aspects: Array<{ aspect: string; polarity: Polarity; score: number; snippet: string; start: number; end: number }>;
  /** The review's moderation status as analysis knew it when it published the result (absent on events from before moderation: PUBLISHED). */
  reviewStatus?: ReviewStatus;
}
