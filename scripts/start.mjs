// `npm start`: builds dist/ when it is missing or older than src/, then serves the demo with its comments API.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const built = join(root, 'dist/inkwell.js');
if (!existsSync(built) || !existsSync(join(root, 'dist/server/index.js')) || statSync(built).mtimeMs < newest(join(root, 'src'))) {
  console.log('Building dist/ …');
  const { build } = await import('./build.mjs');
  console.log(`Built in ${await build()} ms.`);
}

const { startDemo } = await import('../demo/server.mjs');
const port = Number(process.env.PORT ?? 8080);
const flood = process.env.INKWELL_FLOOD_SECONDS;
try {
  const demo = await startDemo({ port, floodSeconds: flood === undefined || flood === '' ? undefined : Number(flood) });
  console.log(`Inkwell demo running: open ${demo.url}  (comments API at ${demo.url}api/comments, stored in .data/demo.db; Ctrl+C stops)`);
  console.log(`Moderation dashboard: ${demo.dashboardUrl}  (sign in with the owner token ${demo.adminToken}; set INKWELL_ADMIN_TOKEN to keep one)`);
  const stop = () => demo.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (e) {
  console.error(`Inkwell demo could not start: ${e.message}`);
  process.exit(1);
}
