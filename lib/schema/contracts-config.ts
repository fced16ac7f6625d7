import { z } from 'zod';
import type { ContractDefinition } from './composition.js';
import { readJsonConfig, type ConfigResult } from './json-config.js';

const contractsConfig = z.object({
  contracts: z.array(z.object({
    name: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, 'lowercase names (letters, digits, -)'),
    description: z.string().optional(),
    include: z.array(z.string().min(1)).min(1, 'name at least one @tag to include'),
    exclude: z.array(z.string().min(1)).default([]),
  }).strict()),
}).strict().superRefine((value, ctx) => {
  const names = value.contracts.map((c) => c.name);
  for (const [index, name] of names.entries()) {
    if (name === 'main') ctx.addIssue({ code: 'custom', path: ['contracts', index, 'name'], message: '"main" is the whole graph' });
    if (names.indexOf(name) !== index) ctx.addIssue({ code: 'custom', path: ['contracts', index, 'name'], message: `"${name}" is listed twice` });
  }
});

/** The contract variants of the graph (schema/contracts.json); none when the file is absent. */
export function loadContracts(file: string, root: string): ConfigResult<ContractDefinition[]> {
  const result = readJsonConfig(file, root, contractsConfig, 'CONTRACTS_CONFIG_INVALID', 'list each contract as {"name", "include": ["tag"], "exclude": []} under "contracts"', { contracts: [] });
  return result.ok ? { ok: true, present: result.present, value: result.value.contracts } : result;
}
