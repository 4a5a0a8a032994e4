import base from './playwright.config';
import { defineConfig } from '@playwright/test';

/*
 * `yarn bench:tab`: the browser benchmarks (packages/app/bench), against the same app the browser
 * tests start. Kept out of `yarn test:e2e`: they measure, they do not assert speed.
 */
export default defineConfig({
  ...base,
  testDir: 'packages/app/bench',
  testMatch: '*.bench.ts',
  timeout: 240_000,
  reporter: [['list']],
  outputDir: 'test-output/bench-results',
  // Playwright's trace records DOM snapshots in the page while it runs: not while measuring.
  use: { ...base.use, trace: 'off', screenshot: 'off' },
});
