import type { GraphQLField, GraphQLInputField, GraphQLNamedType, GraphQLSchema, GraphQLType } from 'graphql';
import { isEnumType, isInputObjectType, isInterfaceType, isListType, isNonNullType, isObjectType, isScalarType, isUnionType } from 'graphql';

/**
 * The contract elements (types, fields, arguments, input fields, enum values) that `actual`
 * lacks or serves with an incompatible type, named `Type`, `Type.field`, `Type.field(arg)` or
 * `Enum.VALUE`. A missing type is reported alone, not with each of its parts.
 */
export function missingContractElements(contract: GraphQLSchema, actual: GraphQLSchema): string[] {
  const missing: string[] = [];
  for (const type of Object.values(contract.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    const other = actual.getType(type.name);
    if (!other || kindOf(other) !== kindOf(type)) {
      missing.push(type.name);
      continue;
    }
    if (isEnumType(type) && isEnumType(other)) {
      for (const v of type.getValues()) if (!other.getValue(v.name)) missing.push(`${type.name}.${v.name}`);
    } else if ((isObjectType(type) || isInterfaceType(type)) && (isObjectType(other) || isInterfaceType(other))) {
      const fields = other.getFields();
      for (const f of Object.values(type.getFields())) {
        const g = fields[f.name];
        if (!g || !outputCompatible(f.type, g.type)) {
          missing.push(`${type.name}.${f.name}`);
          continue;
        }
        missing.push(...missingArgs(type.name, f, g));
      }
    } else if (isInputObjectType(type) && isInputObjectType(other)) {
      const fields = other.getFields();
      for (const f of Object.values(type.getFields())) {
        const g: GraphQLInputField | undefined = fields[f.name];
        if (!g || !inputCompatible(f.type, g.type)) missing.push(`${type.name}.${f.name}`);
      }
      // A new required input field would break clients that follow the contract.
      for (const g of Object.values(fields)) if (!type.getFields()[g.name] && isNonNullType(g.type) && g.defaultValue === undefined) missing.push(`${type.name}.${g.name}(required, not in contract)`);
    } else if (isUnionType(type) && isUnionType(other)) {
      const members = new Set(other.getTypes().map((t) => t.name));
      for (const t of type.getTypes()) if (!members.has(t.name)) missing.push(`${type.name}.${t.name}`);
    }
  }
  return missing;
}

function missingArgs(typeName: string, f: GraphQLField<unknown, unknown>, g: GraphQLField<unknown, unknown>): string[] {
  const out: string[] = [];
  for (const a of f.args) {
    const b = g.args.find((x) => x.name === a.name);
    if (!b || !inputCompatible(a.type, b.type)) out.push(`${typeName}.${f.name}(${a.name})`);
  }
  for (const b of g.args) if (!f.args.find((a) => a.name === b.name) && isNonNullType(b.type) && b.defaultValue === undefined) out.push(`${typeName}.${f.name}(${b.name}: required, not in contract)`);
  return out;
}

function kindOf(t: GraphQLNamedType): string {
  if (isScalarType(t)) return 'scalar';
  if (isObjectType(t)) return 'object';
  if (isInterfaceType(t)) return 'interface';
  if (isUnionType(t)) return 'union';
  if (isEnumType(t)) return 'enum';
  return 'input';
}

/** A served output type may be stricter (non-null) than the contract's, never looser. */
function outputCompatible(contract: GraphQLType, actual: GraphQLType): boolean {
  if (isNonNullType(contract)) return isNonNullType(actual) && outputCompatible(contract.ofType, actual.ofType);
  if (isNonNullType(actual)) return outputCompatible(contract, actual.ofType);
  if (isListType(contract)) return isListType(actual) && outputCompatible(contract.ofType, actual.ofType);
  return !isListType(actual) && (contract as GraphQLNamedType).name === (actual as GraphQLNamedType).name;
}

/** A served input type may be looser (nullable) than the contract's, never stricter. */
function inputCompatible(contract: GraphQLType, actual: GraphQLType): boolean {
  if (isNonNullType(actual)) return isNonNullType(contract) && inputCompatible(contract.ofType, actual.ofType);
  if (isNonNullType(contract)) return inputCompatible(contract.ofType, actual);
  if (isListType(contract)) return isListType(actual) && inputCompatible(contract.ofType, actual.ofType);
  return !isListType(actual) && (contract as GraphQLNamedType).name === (actual as GraphQLNamedType).name;
}
