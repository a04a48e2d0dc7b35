// Browser tests: TypeScript test files run in Debian's Chromium, against a real reference server on SQLite that
// the dev server mounts (test/support/api.ts), so transport tests hit real HTTP.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { chromiumArgs } from './scripts/chromium.mjs';
import { apiMiddleware } from './test/support/api.ts';

export default {
  files: ['test/**/*.test.ts', '!test/server/**', '!test/node/**'],
  nodeResolve: true,
  // One page at a time: a second page would run hidden, without animation frames or IntersectionObserver.
  concurrency: 1,
  testsFinishTimeout: 300_000,
  testFramework: { config: { timeout: 10_000 } },
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' })],
  middleware: [apiMiddleware()],
  browsers: [
    chromeLauncher({
      launchOptions: { executablePath: process.env.CHROME_PATH, args: chromiumArgs },
    }),
  ],
};
