import type { Db } from 'mongodb';

/** The data commands counted as "database commands" (serverStatus `metrics.commands`). */
export const DATA_COMMANDS = ['find', 'getMore', 'aggregate', 'count', 'insert', 'update', 'delete', 'findAndModify'] as const;

/** The server's running totals of each data command, from `serverStatus` on the `admin` database. */
export async function commandCounts(admin: Db): Promise<Record<string, number>> {
  const status = await admin.command({ serverStatus: 1 });
  const commands = (status.metrics?.commands ?? {}) as Record<string, { total?: number | { toNumber(): number } }>;
  return Object.fromEntries(DATA_COMMANDS.map((name) => [name, Number(commands[name]?.total ?? 0)]));
}

/** The sum of the data commands the server has run so far. */
export async function dataCommands(admin: Db): Promise<number> {
  return Object.values(await commandCounts(admin)).reduce((sum, n) => sum + n, 0);
}

/** What each data command's total grew by between two `commandCounts` (only those that grew). */
export function commandsBetween(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).flatMap(([name, n]) => (n - (before[name] ?? 0) > 0 ? [[name, n - (before[name] ?? 0)]] : [])));
}
