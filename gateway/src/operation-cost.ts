import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isIntrospectionType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  valueFromAST,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

export interface CostModel {
  /** The most items one page may hold: a `first` above it counts as this (the subgraphs cap it too). */
  maxPageSize: number;
  /** How many items a list without a `first` argument is assumed to hold. */
  assumedListSize: number;
  /** Fields whose cost grows with a text argument: `Type.field` → argument name and characters per cost unit. */
  textArguments: Record<string, { argument: string; charactersPerUnit: number }>;
}

export interface OperationSize {
  /** Estimated cost (see below). */
  cost: number;
  /** Field selections once every fragment spread is expanded: what the query planner walks. */
  fields: number;
}

/**
 * Estimates what an operation costs before anything runs, after the IBM/Apollo cost model the runtime's
 * demand control uses: every object-typed field costs 1, times the sizes of the lists around it (a
 * `first` argument, else its default, else `assumedListSize`), plus the text arguments' length.
 * Unlike the runtime's per-subgraph count it sees the whole operation with its variables, so an
 * operation is refused before any subgraph is called. Fragments are costed once and reused, so the
 * time is linear in the document however often a fragment is spread.
 */
export function operationSize(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> | undefined, model: CostModel): OperationSize {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: OperationDefinitionNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    else if (definition.kind === Kind.OPERATION_DEFINITION && (!operationName || definition.name?.value === operationName)) operation ??= definition;
  }
  const none = { cost: 0, fields: 0 };
  if (!operation) return none;
  const root = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  if (!root) return none;
  const fragmentSize = new Map<string, OperationSize>();

  const argument = (field: GraphQLField<unknown, unknown>, node: { arguments?: readonly { name: { value: string }; value: import('graphql').ValueNode }[] }, name: string): unknown => {
    const definition = field.args.find((a) => a.name === name);
    if (!definition) return undefined;
    const given = node.arguments?.find((a) => a.name.value === name);
    if (!given) return definition.defaultValue;
    if (given.value.kind === Kind.VARIABLE) return variables?.[given.value.name.value] ?? definition.defaultValue;
    return valueFromAST(given.value, definition.type, variables ?? {});
  };

  // `sliced` is the `first` of the connection field this set belongs to: it sizes the connection's lists (edges).
  const sizeOf = (set: SelectionSetNode, parent: GraphQLNamedType, sliced?: number): OperationSize => {
    let cost = 0;
    let fields = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        // Memoised per fragment and page size: a fragment spread many times is costed once.
        const key = `${selection.name.value}/${sliced ?? ''}`;
        if (!fragmentSize.has(key)) {
          const fragment = fragments.get(selection.name.value);
          fragmentSize.set(key, none); // a cycle (refused by validation anyway) ends here
          const type = fragment && schema.getType(fragment.typeCondition.name.value);
          fragmentSize.set(key, fragment && type ? sizeOf(fragment.selectionSet, type, sliced) : none);
        }
        const size = fragmentSize.get(key)!;
        cost += size.cost;
        fields += size.fields;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (!type) continue;
        const size = sizeOf(selection.selectionSet, type, sliced);
        cost += size.cost;
        fields += size.fields;
      } else if (isObjectType(parent) || isInterfaceType(parent)) {
        fields += 1;
        const field = parent.getFields()[selection.name.value];
        if (!field) continue;
        const named = getNamedType(field.type);
        if (isIntrospectionType(named)) continue;
        const first = argument(field, selection, 'first');
        const page = typeof first === 'number' ? Math.min(Math.max(first, 1), model.maxPageSize) : undefined;
        const isList = isListType(getNullableType(field.type));
        const factor = isList ? (page ?? sliced ?? model.assumedListSize) : 1;
        const own = isCompositeType(named) ? 1 : 0;
        const children = selection.selectionSet ? sizeOf(selection.selectionSet, named, isList ? undefined : page) : none;
        cost += factor * (own + children.cost);
        fields += children.fields;
        const text = model.textArguments[`${parent.name}.${field.name}`];
        if (text) {
          const value = argument(field, selection, text.argument);
          if (typeof value === 'string') cost += Math.ceil(value.length / text.charactersPerUnit);
        }
      }
    }
    return { cost, fields };
  };
  return sizeOf(operation.selectionSet, root);
}
