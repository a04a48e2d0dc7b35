// The ceiling of the server figures: a bare node:http server that answers every request with the same bytes and
// headers as the reference server's page, in its own process (or N processes through node:cluster, as
// `inkwell-server --workers N` runs), so that it does not share an event loop with the load generator.
//   node load-server.mjs bare <body-file> <headers-json> [workers]
// It listens on 127.0.0.1 on a free port, sends `{ port }` to its parent over IPC once every worker listens, and
// exits (workers too) when the parent says `close` or goes away.
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

const [mode, bodyFile, headersJson, workersText = '1'] = process.argv.slice(2);
if (mode !== 'bare') {
  console.error(`load-server: unknown mode ${mode} (expected: bare <body-file> <headers-json> [workers])`);
  process.exit(2);
}
const workers = Math.max(1, Number(workersText) || 1);

/** One server answering every request with the page's bytes; resolves with its port. */
function serve() {
  const body = readFileSync(bodyFile);
  const headers = { ...JSON.parse(headersJson), 'Content-Length': String(body.length) };
  const server = createServer((req, res) => {
    // Drain any request body, then answer with the same bytes as the reference server's page.
    req.resume();
    res.writeHead(200, headers);
    res.end(body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: server.address().port })));
}

if (cluster.isWorker) {
  // In a cluster every worker's listen(0) gets the same port: the primary holds the one socket.
  const { port } = await serve();
  process.send({ port });
  process.on('SIGINT', () => {}); // the primary decides
} else if (workers === 1) {
  const { server, port } = await serve();
  const stop = () => {
    server.closeAllConnections?.();
    server.close(() => process.exit(0));
  };
  process.on('message', (m) => m === 'close' && stop());
  process.on('disconnect', () => process.exit(0));
  process.on('SIGINT', () => {}); // the parent decides; it sends `close` or kills this process by its pid
  process.send({ port });
} else {
  const ports = [];
  for (let i = 0; i < workers; i++) {
    cluster.fork().on('message', (m) => {
      ports.push(m.port);
      if (ports.length === workers) process.send({ port: ports[0] });
    });
  }
  const stop = () => {
    for (const worker of Object.values(cluster.workers)) worker.kill();
    process.exit(0);
  };
  process.on('message', (m) => m === 'close' && stop());
  process.on('disconnect', stop);
  process.on('SIGINT', () => {});
}
