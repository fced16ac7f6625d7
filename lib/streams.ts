import type { StreamSpec } from './bus/index.js';

/** Where review events live on the bus. A namespace keeps deployments (or test runs) sharing one NATS apart. */
export interface ReviewTopics {
  stream: StreamSpec;
  submitted: string;
  updated: string;
  analyzed: string;
  deleted: string;
  moderated: string;
  reanalysisRequested: string;
}

/** The review domain's stream and subjects, e.g. `REVIEWS` / `review.submitted`, or `T1_REVIEWS` / `t1.review.submitted`. */
export function reviewTopics(namespace = ''): ReviewTopics {
  if (!/^[a-z0-9_]*$/.test(namespace)) throw new Error(`bus namespace "${namespace}" may hold only a-z, 0-9 and _`);
  const prefix = namespace ? `${namespace}.` : '';
  return {
    stream: { name: namespace ? `${namespace.toUpperCase()}_REVIEWS` : 'REVIEWS', subjects: [`${prefix}review.>`] },
    submitted: `${prefix}review.submitted`,
    updated: `${prefix}review.updated`,
    analyzed: `${prefix}review.analyzed`,
    deleted: `${prefix}review.deleted`,
    moderated: `${prefix}review.moderated`,
    reanalysisRequested: `${prefix}review.reanalysis-requested`,
  };
}
