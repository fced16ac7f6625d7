import { getNamedType, TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema } from 'graphql';

/**
 * The schema coordinates an operation document touches: `Type.field` for every selected field (on the
 * type it is selected on), `Type.field.argument` for every argument given, and `Input.field` for input
 * object fields written inline. Introspection and `__typename` are left out.
 */
export function operationCoordinates(schema: GraphQLSchema, document: DocumentNode): Set<string> {
  const coordinates = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  visit(document, visitWithTypeInfo(typeInfo, {
    Field(node) {
      const parent = typeInfo.getParentType();
      if (!parent || node.name.value.startsWith('__')) return;
      coordinates.add(`${parent.name}.${node.name.value}`);
    },
    Argument(node) {
      const field = typeInfo.getFieldDef();
      const parent = typeInfo.getParentType();
      if (!field || !parent || field.name.startsWith('__')) return;
      coordinates.add(`${parent.name}.${field.name}.${node.name.value}`);
    },
    ObjectField(node) {
      const input = typeInfo.getParentInputType();
      if (input) coordinates.add(`${getNamedType(input).name}.${node.name.value}`);
    },
  }));
  return coordinates;
}
