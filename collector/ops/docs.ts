import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

/** Swagger UI's files, served from the installed package: no CDN, so docs work behind a firewall. */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
};

// Relative URLs, so the page works when a proxy serves the collector under a path.
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Footfall API</title>
<link rel="stylesheet" href="docs/swagger-ui.css">
</head>
<body>
<div id="docs"></div>
<script src="docs/swagger-ui-bundle.js"></script>
<script src="docs/init.js"></script>
</body>
</html>
`;

const INIT = `window.ui = SwaggerUIBundle({ url: 'openapi.json', dom_id: '#docs', deepLinking: true, tryItOutEnabled: false });\n`;

/** `/docs`: interactive API documentation over `/openapi.json`, from local assets only. */
/**
 * The docs page runs only its own files: Swagger UI's script and stylesheet
 * from this collector (it sets style attributes, hence inline styles), the
 * spec from this origin, and no framing.
 */
export const DOCS_HEADERS = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    fontSrc: ["'self'"],
    baseUri: ["'none'"],
    formAction: ["'none'"],
    frameAncestors: ["'none'"],
  },
  xFrameOptions: 'DENY',
  referrerPolicy: 'same-origin',
  crossOriginEmbedderPolicy: false,
});

export function docsRoutes(): Hono {
  const app = new Hono();
  app.use('/docs', DOCS_HEADERS);
  app.use('/docs/*', DOCS_HEADERS);
  const root = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const cache = new Map<string, string>();

  app.get('/docs', (c) => c.html(PAGE));
  app.get('/docs/init.js', (c) => c.body(INIT, 200, { 'Content-Type': 'application/javascript; charset=utf-8' }));
  app.get('/docs/:asset', (c) => {
    const name = c.req.param('asset');
    const type = ASSETS[name];
    if (!type) return c.notFound();
    let text = cache.get(name);
    if (text === undefined) {
      text = readFileSync(join(root, name), 'utf8');
      cache.set(name, text);
    }
    return c.body(text, 200, { 'Content-Type': type, 'Cache-Control': 'public, max-age=86400' });
  });

  return app;
}
