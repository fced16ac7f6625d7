/** One line on what to do for each composition error code; codes not listed fall back to a general hint. */
const HINTS: Record<string, string> = {
  SDL_SYNTAX_ERROR: 'fix the SDL at this position',
  INVALID_GRAPHQL: 'the SDL is not valid GraphQL for a subgraph: an unknown directive must be imported in `@link(import: [...])` or defined',
  UNKNOWN_FEDERATION_LINK_VERSION: 'link a federation version the composer knows (https://specs.apollo.dev/federation/v2.0 to v2.9); every subgraph here uses v2.7',
  INVALID_LINK_DIRECTIVE_USAGE: 'import only directives that exist in the federation version you link (e.g. @interfaceObject needs v2.3 or later)',
  INVALID_LINK_IDENTIFIER: 'the @link url must be a spec url such as https://specs.apollo.dev/federation/v2.7',
  FIELD_TYPE_MISMATCH: 'a field shared by several subgraphs must have the same type in each (nullability may only differ where the field is @shareable)',
  FIELD_ARGUMENT_TYPE_MISMATCH: 'an argument shared by several subgraphs must have the same type in each',
  TYPE_KIND_MISMATCH: 'a type name must be the same kind (object, interface, input, enum, …) in every subgraph that defines it',
  INVALID_FIELD_SHARING: 'mark the field @shareable in every subgraph that resolves it, or resolve it from one subgraph only (an entity field owned elsewhere is @external)',
  EXTENSION_WITH_NO_BASE: 'an `extend type` needs a definition of the type in some subgraph; in Federation 2 define the entity with @key instead of extending it',
  EXTERNAL_MISSING_ON_BASE: 'a field marked @external must be defined (without @external) in another subgraph',
  KEY_FIELDS_SELECT_INVALID_TYPE: '@key fields must select scalar, enum or object fields that exist on the type',
  KEY_INVALID_FIELDS: '@key(fields:) must name fields that exist on the type',
  SATISFIABILITY_ERROR: 'the query planner cannot reach this field from the root: add a @key so the owning subgraph can resolve the entity, or move the field',
  ENUM_VALUE_MISMATCH: 'an enum used both as input and output must have the same values in every subgraph',
  REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH: 'a required argument must be declared in every subgraph that defines the field',
  ONLY_INACCESSIBLE_CHILDREN: 'a type left in a contract needs at least one field the contract includes: tag one of its fields (or the type) with the contract\'s tag, or exclude the fields that reach it',
  REQUIRED_INACCESSIBLE: 'a contract that keeps a field must keep its required arguments: tag the argument too, e.g. product(id: ID! @tag(name: "partner"))',
  EMPTY_QUERY_TYPE: 'the graph needs at least one Query field: for a contract, tag at least one Query field with the contract\'s tag',
  NO_QUERIES: 'the graph needs at least one Query field: for a contract, tag at least one Query field with the contract\'s tag',
};

/** The hint printed under a composition error with this code. */
export function compositionHint(code: string): string {
  return HINTS[code] ?? 'see the message; the subgraphs involved are listed with the definitions the error names';
}
