// A server under load, in its own process so that it does not share an event loop with the load generator.
//   node load-server.mjs ref <db-file>            the reference server (createHandler from dist/server) on SQLite
//   node load-server.mjs bare <body-file> <json>  a bare node:http server answering every request with these bytes
// It listens on 127.0.0.1 on a free port, sends `{ port }` to its parent over IPC, and exits when the parent says
// `close` or goes away.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { root } from './env.mjs';

const [mode, arg1, arg2] = process.argv.slice(2);
let onClose = async () => {};
let server;

if (mode === 'ref') {
  const { createHandler } = await import(pathToFileURL(join(root, 'dist/server/index.js')).href);
  // Flood control off and no moderation: the bench measures request handling, not the rate limiter.
  const handler = createHandler({ db: arg1, basePath: '/api/comments', floodSeconds: 0, moderation: 'none' });
  server = createServer(handler);
  onClose = () => handler.close?.();
} else if (mode === 'bare') {
  const body = readFileSync(arg1);
  const headers = { ...JSON.parse(arg2), 'Content-Length': String(body.length) };
  server = createServer((req, res) => {
    // Drain any request body, then answer with the same bytes as the reference server's page.
    req.resume();
    res.writeHead(200, headers);
    res.end(body);
  });
} else {
  console.error(`load-server: unknown mode ${mode}`);
  process.exit(2);
}

const stop = async () => {
  server.closeAllConnections?.();
  await new Promise((resolve) => server.close(resolve));
  await onClose();
  process.exit(0);
};
process.on('message', (m) => m === 'close' && stop());
process.on('disconnect', () => process.exit(0));
process.on('SIGINT', () => {}); // the parent decides; it sends `close` or kills this process by its pid
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
