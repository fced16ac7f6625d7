import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// Fault soak tests, run on demand (`npm run test:faults`) rather than in `npm test`: one run kills the
// embedded launcher five times under running consumer processes and takes one to two minutes. What they
// found is covered by fast tests in `npm test` (README, Tests).
export default defineConfig({ ...base, test: { ...base.test, include: ['test/faults/**/*.fault.ts'] } });
