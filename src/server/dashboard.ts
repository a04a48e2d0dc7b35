/**
 * `GET {basePath}/dashboard`: the moderation dashboard, a page holding `<ink-moderation>` and its script, the
 * package's built `inkwell-admin.js`. The page needs no token (the element signs in) and sends a strict CSP.
 * This module sits in `dist/server/` once built, so the script is `../inkwell-admin.js` from here.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { HttpError } from './http.js';
import type { RouteHandler } from './http.js';
import type { Settings } from './options.js';

/** The built element, beside `dist/server/` in the package. */
const BUILT_SCRIPT = fileURLToPath(new URL('../inkwell-admin.js', import.meta.url));

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const notBuilt = () =>
  new HttpError(503, 'dashboard_unavailable', 'The dashboard script is missing. Build the package (npm run build) to serve the dashboard.');

/** The page and its script. */
export function dashboardRoutes(settings: Settings): Record<'page' | 'script', RouteHandler> {
  const scriptPath = settings.dashboardScript ?? BUILT_SCRIPT;
  const base = settings.basePath;
  const csp = [
    "default-src 'none'",
    "script-src 'self'",
    "connect-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${settings.dashboardFrameAncestors}`,
  ].join('; ');
  const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Inkwell moderation</title>
<script type="module" src="${escapeHtml(`${base}/dashboard/inkwell-admin.js`)}"></script>
</head>
<body>
<ink-moderation endpoint="${escapeHtml(base)}"></ink-moderation>
</body>
</html>
`;
  // Read once, on first use: the file is part of the installed package and does not change while it runs.
  let script: Promise<Buffer> | undefined;
  const loadScript = (): Promise<Buffer> => {
    script ??= readFile(scriptPath).catch((err: unknown) => {
      script = undefined;
      throw (err as { code?: unknown }).code === 'ENOENT' ? notBuilt() : err;
    });
    return script;
  };

  return {
    async page({ res }) {
      await loadScript();
      res.statusCode = 200;
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.setHeader('Content-Security-Policy', csp);
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Referrer-Policy', 'no-referrer');
      res.setHeader('Content-Length', Buffer.byteLength(page));
      res.end(page);
    },
    async script({ res }) {
      const bytes = await loadScript();
      res.statusCode = 200;
      res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
      // Revalidated each time: after an upgrade the page gets the new element at once.
      res.setHeader('Cache-Control', 'no-cache');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Content-Length', bytes.length);
      res.end(bytes);
    },
  };
}
