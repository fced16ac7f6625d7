import { Kind, visit, type ASTNode, type DocumentNode, type FieldDefinitionNode, type Location as AstLocation } from 'graphql';
import type { SubgraphSource } from './subgraph-sources.js';

/** What a lint rule found: a message and the node it is about. */
export interface LintFinding { subgraph: string; file: string; loc: AstLocation | undefined; message: string }

export interface ForbiddenPattern { pattern: string; message: string }
export interface LintRuleOptions { patterns?: ForbiddenPattern[] }

/** Where a finding about a named element points: its name, not the description above it. */
const at = (node: { name?: { loc?: AstLocation }; loc?: AstLocation }) => node.name?.loc ?? node.loc;

type Rule = (sources: SubgraphSource[], options: LintRuleOptions) => LintFinding[];

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);
const TYPE_DEFINITIONS = new Set<string>([Kind.OBJECT_TYPE_DEFINITION, Kind.INTERFACE_TYPE_DEFINITION, Kind.UNION_TYPE_DEFINITION, Kind.ENUM_TYPE_DEFINITION, Kind.INPUT_OBJECT_TYPE_DEFINITION, Kind.SCALAR_TYPE_DEFINITION]);
const TYPE_EXTENSIONS = new Set<string>([Kind.OBJECT_TYPE_EXTENSION, Kind.INTERFACE_TYPE_EXTENSION, Kind.UNION_TYPE_EXTENSION, Kind.ENUM_TYPE_EXTENSION, Kind.INPUT_OBJECT_TYPE_EXTENSION, Kind.SCALAR_TYPE_EXTENSION]);

type Named = { kind: string; name: { value: string; loc?: AstLocation }; description?: { value: string }; loc?: AstLocation; directives?: ReadonlyArray<{ name: { value: string } }> };
type WithFields = Named & { fields?: ReadonlyArray<Named & { arguments?: readonly Named[] }>; values?: readonly Named[] };

function typeNodes(document: DocumentNode): WithFields[] {
  return document.definitions.filter((d) => TYPE_DEFINITIONS.has(d.kind) || TYPE_EXTENSIONS.has(d.kind)) as unknown as WithFields[];
}

const isInaccessible = (node: Named) => node.directives?.some((d) => d.name.value === 'inaccessible') ?? false;
const described = (node: Named) => Boolean(node.description?.value.trim());

/** Everything of one kind across subgraphs, so a description given by one owner of a shared type counts for all. */
function eachAcross<T>(sources: SubgraphSource[], pick: (document: DocumentNode) => Array<[string, T & Named]>) {
  const seen = new Map<string, Array<{ source: SubgraphSource; node: T & Named }>>();
  for (const source of sources) {
    if (!source.document) continue;
    for (const [key, node] of pick(source.document)) seen.set(key, [...(seen.get(key) ?? []), { source, node }]);
  }
  return seen;
}

function names(sources: SubgraphSource[], check: (node: Named, parent: WithFields | null) => string | null): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const source of sources) {
    if (!source.document) continue;
    for (const type of typeNodes(source.document)) {
      const own = check(type, null);
      if (own) findings.push({ subgraph: source.name, file: source.file, loc: at(type), message: own });
      for (const member of [...(type.fields ?? []), ...(type.values ?? [])]) {
        const message = check(member, type);
        if (message) findings.push({ subgraph: source.name, file: source.file, loc: at(member), message });
        for (const argument of (member as { arguments?: readonly Named[] }).arguments ?? []) {
          const argMessage = check(argument, type);
          if (argMessage) findings.push({ subgraph: source.name, file: source.file, loc: at(argument), message: argMessage });
        }
      }
    }
  }
  return findings;
}

const PASCAL = /^[A-Z][A-Za-z0-9]*$/;
const CAMEL = /^[a-z][A-Za-z0-9]*$/;
const UPPER = /^[A-Z][A-Z0-9_]*$/;

/** The rules `schema/lint.json` can configure, by name. */
export const LINT_RULES: Record<string, { description: string; run: Rule }> = {
  'type-description': {
    description: 'public types (not Query/Mutation/Subscription) have a description in at least one subgraph',
    run: (sources) => [...eachAcross(sources, (d) => typeNodes(d).filter((t) => TYPE_DEFINITIONS.has(t.kind) && !ROOT_TYPES.has(t.name.value) && !isInaccessible(t)).map((t) => [t.name.value, t]))]
      .filter(([, all]) => !all.some(({ node }) => described(node)))
      .map(([name, all]) => ({ subgraph: all[0]!.source.name, file: all[0]!.source.file, loc: at(all[0]!.node), message: `type ${name} has no description` })),
  },
  'field-description': {
    description: 'fields of public types, root fields included, have a description in at least one subgraph (`id` fields excepted)',
    run: (sources) => [...eachAcross(sources, (d) => typeNodes(d).filter((t) => t.kind !== Kind.ENUM_TYPE_DEFINITION && !isInaccessible(t)).flatMap((t) => (t.fields ?? []).filter((f) => f.name.value !== 'id' && !isInaccessible(f)).map((f) => [`${t.name.value}.${f.name.value}`, f] as [string, Named])))]
      .filter(([, all]) => !all.some(({ node }) => described(node)))
      .map(([coordinate, all]) => ({ subgraph: all[0]!.source.name, file: all[0]!.source.file, loc: at(all[0]!.node), message: `field ${coordinate} has no description` })),
  },
  'type-name-pascal-case': {
    description: 'type names are PascalCase',
    run: (sources) => names(sources, (node, parent) => (parent === null && !PASCAL.test(node.name.value) ? `type ${node.name.value} is not PascalCase` : null)),
  },
  'field-name-camel-case': {
    description: 'field and argument names are camelCase',
    run: (sources) => names(sources, (node, parent) => (parent && node.kind !== Kind.ENUM_VALUE_DEFINITION && !CAMEL.test(node.name.value) ? `${parent.name.value}.${node.name.value} is not camelCase` : null)),
  },
  'enum-value-upper-case': {
    description: 'enum values are UPPER_CASE',
    run: (sources) => names(sources, (node, parent) => (parent && node.kind === Kind.ENUM_VALUE_DEFINITION && !UPPER.test(node.name.value) ? `${parent.name.value}.${node.name.value} is not UPPER_CASE` : null)),
  },
  'input-type-suffix': {
    description: 'input type names end in Input',
    run: (sources) => names(sources, (node, parent) => (parent === null && node.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION && !node.name.value.endsWith('Input') ? `input ${node.name.value} does not end in Input` : null)),
  },
  'deprecation-reason': {
    description: '@deprecated says why and what to use instead (a reason other than the default)',
    run: (sources) => {
      const findings: LintFinding[] = [];
      for (const source of sources) {
        if (!source.document) continue;
        visit(source.document, {
          Directive(node, _key, _parent, _path, ancestors) {
            if (node.name.value !== 'deprecated') return;
            const reason = node.arguments?.find((a) => a.name.value === 'reason')?.value;
            const text = reason && reason.kind === Kind.STRING ? reason.value.trim() : '';
            if (text.length >= 10 && text !== 'No longer supported') return;
            const owner = [...ancestors].reverse().find((a): a is ASTNode & Named => !Array.isArray(a) && 'name' in (a as object));
            findings.push({ subgraph: source.name, file: source.file, loc: node.loc, message: `@deprecated on ${owner?.name.value ?? 'an element'} ${text ? `has a reason too short to help ("${text}")` : 'has no reason'}: say what to use instead` });
          },
        });
      }
      return findings;
    },
  },
  'forbidden-patterns': {
    description: 'no coordinate (Type, Type.field, Type.field.argument) matches a forbidden pattern from the rule\'s options',
    run: (sources, options) => {
      const patterns = (options.patterns ?? []).map((p) => ({ ...p, regex: new RegExp(p.pattern) }));
      const findings: LintFinding[] = [];
      for (const source of sources) {
        if (!source.document) continue;
        for (const type of typeNodes(source.document)) {
          const coordinates: Array<[string, AstLocation | undefined]> = [[type.name.value, at(type)]];
          for (const field of type.fields ?? []) {
            coordinates.push([`${type.name.value}.${field.name.value}`, at(field)]);
            for (const argument of (field as FieldDefinitionNode).arguments ?? []) coordinates.push([`${type.name.value}.${field.name.value}.${argument.name.value}`, at(argument)]);
          }
          for (const [coordinate, loc] of coordinates) {
            for (const pattern of patterns) if (pattern.regex.test(coordinate)) findings.push({ subgraph: source.name, file: source.file, loc, message: `${coordinate}: ${pattern.message}` });
          }
        }
      }
      return findings;
    },
  },
  'federation-version': {
    description: 'every subgraph links the same federation version',
    run: (sources) => {
      const versions = sources.filter((s) => s.document).map((s) => ({ source: s, version: /specs\.apollo\.dev\/federation\/(v[0-9.]+)/.exec(s.sdl)?.[1] ?? 'none (Federation 1)' }));
      const counts = new Map<string, number>();
      for (const v of versions) counts.set(v.version, (counts.get(v.version) ?? 0) + 1);
      const common = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
      return versions.filter((v) => v.version !== common).map((v) => ({ subgraph: v.source.name, file: v.source.file, loc: undefined, message: `links federation ${v.version} while the other subgraphs link ${common}` }));
    },
  },
};
