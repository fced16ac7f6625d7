import DataLoader from 'dataloader';
import type { AnalysisDocument } from './models/analysis.js';
import type { AnalysisRepository } from './repositories/analysis-repository.js';

export interface AnalysisLoaders {
  analysis: DataLoader<string, AnalysisDocument | null>;
}

/** Per-request loaders: all analyses asked for in one tick are one repository call. */
export function createLoaders(tenantId: string, repos: { analyses: AnalysisRepository }): AnalysisLoaders {
  return {
    analysis: new DataLoader(async (ids) => {
      const found = await repos.analyses.findByIds(tenantId, ids);
      return ids.map((id) => found.get(id) ?? null);
    }),
  };
}
