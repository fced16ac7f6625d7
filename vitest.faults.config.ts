import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// Fault reproductions for bugs that are still open: run on demand (`npm run test:faults`), not in CI,
// because they fail until the bug they reproduce is fixed.
export default defineConfig({ ...base, test: { ...base.test, include: ['test/faults/**/*.fault.ts'] } });
