import { buildSchema, isInputObjectType, isInterfaceType, isObjectType } from 'graphql';
import { usageOf, type UsageSummary } from './usage-store.js';

/** Every deprecated field and argument of an API schema, with its reason. */
export function deprecatedCoordinates(apiSdl: string): Array<{ coordinate: string; reason: string }> {
  const schema = buildSchema(apiSdl, { assumeValidSDL: true });
  const found: Array<{ coordinate: string; reason: string }> = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type) || isInputObjectType(type))) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.deprecationReason) found.push({ coordinate: `${type.name}.${field.name}`, reason: field.deprecationReason });
      for (const argument of 'args' in field ? field.args : []) if (argument.deprecationReason) found.push({ coordinate: `${type.name}.${field.name}.${argument.name}`, reason: argument.deprecationReason });
    }
  }
  return found;
}

/** The readable answer of `schema:usage`: who uses each asked coordinate, and the deprecated ones still in use. */
export function renderUsageReport(summary: UsageSummary, windowDays: number, asked: string[], deprecated: Array<{ coordinate: string; reason: string }>): string {
  const out = [`Usage since ${summary.since} (last ${windowDays} days): ${summary.operations.toLocaleString('en-US')} operations (estimated from samples) by ${summary.clients.length} client versions, ${summary.flushes} flushes`];
  for (const coordinate of asked) {
    const used = usageOf(summary, coordinate);
    out.push('', `${coordinate}: ${used.total.toLocaleString('en-US')} operations${summary.operations ? ` (${((used.total / summary.operations) * 100).toFixed(2)}%)` : ''}`);
    if (used.clients.length === 0) out.push('  no recorded operation touched it in the window');
    for (const client of used.clients) out.push(`  ${client.clientName} ${client.clientVersion}: ${client.count.toLocaleString('en-US')}`);
  }
  const inUse = deprecated.map((d) => ({ ...d, used: usageOf(summary, d.coordinate) })).filter((d) => d.used.total > 0);
  out.push('', `Deprecated and still in use: ${inUse.length} of ${deprecated.length} deprecated fields and arguments`);
  for (const d of inUse) out.push(`  ${d.coordinate} (${d.reason}): ${d.used.total.toLocaleString('en-US')} operations — ${d.used.clients.map((c) => `${c.clientName} ${c.clientVersion}: ${c.count}`).join(', ')}`);
  return `${out.join('\n')}\n`;
}
