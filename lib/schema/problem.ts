/** Where a problem sits in a subgraph's SDL file (1-based line and column). */
export interface SourceLocation {
  subgraph: string;
  file: string;
  line: number;
  column: number;
}

/** One finding of a schema tool: a stable code, what is wrong, where, and what to do about it. */
export interface SchemaProblem {
  code: string;
  message: string;
  hint: string;
  locations: SourceLocation[];
}
