import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

interface Plan { keys: string[]; sets: Map<string, SelectionSetNode[]>; children: Map<string, Plan> }

/** The response keys of some merged selection sets, in the order the document names them (CollectFields). */
function planOf(sets: SelectionSetNode[], fragments: Map<string, FragmentDefinitionNode>): Plan {
  const plan: Plan = { keys: [], sets: new Map(), children: new Map() };
  const visited = new Set<string>(); // a fragment spread twice adds nothing the first spread did not
  const collect = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        let subsets = plan.sets.get(key);
        if (!subsets) plan.keys.push(key), plan.sets.set(key, (subsets = []));
        if (selection.selectionSet) subsets.push(selection.selectionSet);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        collect(selection.selectionSet);
      } else if (!visited.has(selection.name.value)) {
        visited.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) collect(fragment.selectionSet);
      }
    }
  };
  for (const set of sets) collect(set);
  return plan;
}

function childPlan(plan: Plan, key: string, fragments: Map<string, FragmentDefinitionNode>): Plan | null {
  const sets = plan.sets.get(key);
  if (!sets || sets.length === 0) return null;
  let child = plan.children.get(key);
  if (!child) plan.children.set(key, (child = planOf(sets, fragments)));
  return child;
}

function reorder(value: unknown, plan: Plan, fragments: Map<string, FragmentDefinitionNode>): unknown {
  if (Array.isArray(value)) return value.map((item) => reorder(item, plan, fragments));
  if (value === null || typeof value !== 'object') return value;
  const source = value as Record<string, unknown>;
  const ordered: Record<string, unknown> = {};
  for (const key of plan.keys) {
    if (!(key in source)) continue;
    const child = childPlan(plan, key, fragments);
    ordered[key] = child ? reorder(source[key], child, fragments) : source[key];
  }
  for (const key of Object.keys(source)) if (!(key in ordered)) ordered[key] = source[key];
  return ordered;
}

/**
 * Puts every object of the response in the order of its selection set. The executor writes a field
 * when its value resolves, so fields from parallel subgraph fetches came back in completion order
 * (`reviewsMentioning` before `reviews` when analysis answered first); the spec orders them as requested.
 */
export function resultOrderPlugin(): GatewayPlugin {
  return {
    onExecute({ args }) {
      return {
        onExecuteDone({ result, setResult }) {
          if (!result || typeof result !== 'object' || Symbol.asyncIterator in result || !result.data) return;
          const document = args.document as DocumentNode;
          const fragments = new Map<string, FragmentDefinitionNode>();
          let operation: SelectionSetNode | undefined;
          for (const definition of document.definitions) {
            if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
            else if (definition.kind === Kind.OPERATION_DEFINITION && (!args.operationName || definition.name?.value === args.operationName)) operation ??= definition.selectionSet;
          }
          if (!operation) return;
          setResult({ ...result, data: reorder(result.data, planOf([operation], fragments), fragments) as typeof result.data });
        },
      };
    },
  };
}
