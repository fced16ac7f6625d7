import type { ReviewAnalysisResolvers, TextAnalysisResolvers } from '../__generated__/resolvers-types.js';
import type { AspectMention, EvidenceSpan } from '../nlp/index.js';

const span = (s: { start: number; end: number; text: string }) => ({ start: s.start, end: s.end, text: s.text });
const aspects = (list: AspectMention[]) => list.map((a) => ({ aspect: a.aspect, term: a.term, polarity: a.polarity, score: a.score, snippet: a.snippet, span: span(a) }));
const evidence = (list: EvidenceSpan[]) => list.map((e) => ({ span: span(e), polarity: e.polarity, weight: e.weight }));

export const ReviewAnalysis: ReviewAnalysisResolvers = {
  aspects: (doc) => aspects(doc.aspects),
  evidence: (doc) => evidence(doc.evidence),
  analyzedAt: (doc) => doc.analyzedAt?.toISOString() ?? null,
};

export const TextAnalysis: TextAnalysisResolvers = {
  aspects: (result) => aspects(result.aspects),
  evidence: (result) => evidence(result.evidence),
};
