/** Loading of the committed model artifacts from subgraphs/analysis/model/. */
import { readFileSync, existsSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LexicalResources, type LexicalResourcesJSON } from './resources.js';
import { SentimentModel, type SentimentModelJSON } from './sentiment.js';
import { AspectTagger, type TaggerModelJSON } from './tagger.js';
import { PolarityModel, type PolarityModelJSON } from './polarity.js';
import { DomainModel, type DomainModelJSON } from './domain.js';
import type { Models } from './engine.js';

export const MODEL_DIR = process.env.REVIEWGRAPH_NLP_MODEL_DIR ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../model');

export const MODEL_FILES = { lexical: 'lexical.json', sentiment: 'sentiment.json', tagger: 'tagger.json', polarity: 'polarity.json', domain: 'domain.json' } as const;

export function readModelJSON<T>(name: string, dir = MODEL_DIR): T {
  const p = resolve(dir, name);
  if (!existsSync(p)) throw new Error(`model file missing: ${p} (run npm run train:nlp)`);
  return JSON.parse(readFileSync(p, 'utf8')) as T;
}

export function loadLexical(dir = MODEL_DIR): LexicalResources | null {
  return existsSync(resolve(dir, MODEL_FILES.lexical)) ? new LexicalResources(readModelJSON<LexicalResourcesJSON>(MODEL_FILES.lexical, dir)) : null;
}

export function loadModels(dir = MODEL_DIR): Models {
  const res = loadLexical(dir);
  const sentiment = new SentimentModel(readModelJSON<SentimentModelJSON>(MODEL_FILES.sentiment, dir), res);
  const tagger = new AspectTagger(readModelJSON<TaggerModelJSON>(MODEL_FILES.tagger, dir), res);
  const polarity = new PolarityModel(readModelJSON<PolarityModelJSON>(MODEL_FILES.polarity, dir), res, sentiment);
  const domain = existsSync(resolve(dir, MODEL_FILES.domain)) ? new DomainModel(readModelJSON<DomainModelJSON>(MODEL_FILES.domain, dir)) : null;
  return { res, sentiment, tagger, polarity, domain };
}
