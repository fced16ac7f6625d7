import { z } from 'zod';
import { readJsonConfig } from './json-config.js';

const threshold = z.union([
  z.number().int().min(0),
  z.string().regex(/^\d+(\.\d+)?%$/, 'a count (e.g. 0) or a percentage of the window\'s operations (e.g. "0.1%")'),
]);

const usagePolicy = z.object({
  /** Days of recorded usage the check looks at. */
  windowDays: z.number().int().min(1).max(365).default(30),
  /** A breaking change is downgraded only when recorded use of its coordinate is at most this. */
  threshold: threshold.default(0),
  /** Below this many recorded operations in the window, usage is no evidence and nothing is downgraded. */
  minimumOperations: z.number().int().min(1).default(100),
}).strict();

export type UsagePolicy = z.infer<typeof usagePolicy>;

/** Reads schema/usage-policy.json (defaults when absent). */
export function loadUsagePolicy(file: string, root: string) {
  return readJsonConfig(file, root, usagePolicy, 'USAGE_POLICY_INVALID', 'usage-policy.json is {"windowDays": 30, "threshold": 0 | "0.1%", "minimumOperations": 100}', usagePolicy.parse({}));
}

/** Whether `count` of `total` operations is within the policy's threshold. */
export function withinThreshold(policy: UsagePolicy, count: number, total: number): boolean {
  if (typeof policy.threshold === 'number') return count <= policy.threshold;
  const percent = Number(policy.threshold.slice(0, -1));
  return total > 0 && (count / total) * 100 <= percent;
}

/** The threshold as the report prints it. */
export function describeThreshold(policy: UsagePolicy): string {
  return typeof policy.threshold === 'number' ? `at most ${policy.threshold} operation${policy.threshold === 1 ? '' : 's'}` : `at most ${policy.threshold} of operations`;
}
