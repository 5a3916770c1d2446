import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Router } from 'express';
import helmet from 'helmet';
import { WEB_DIST } from '../infra/web-bundle.ts';

/**
 * The staff pages (web/dist, built by Vite) at /. Hashed assets are cached for a year; any other
 * GET from a browser (Accept: text/html) that no route answered gets index.html, so client routes and deep links
 * (/projects/YC-2026-05-001) work on reload. API paths never fall through to the page: they keep
 * their problem+json 404. Mounted last, just before the 404 handler.
 */
export function webAppRouter(dist = WEB_DIST): Router {
  const router = express.Router();
  // The bundle's own scripts only; inline styles stay allowed: antd writes its theme's CSS variables
  // at run time and components set style attributes. No upgrade-insecure-requests: a county LAN
  // often serves plain http on an address.
  router.use(
    helmet.contentSecurityPolicy({
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    }),
  );
  const indexFile = path.join(dist, 'index.html');
  router.use('/assets', express.static(path.join(dist, 'assets'), { immutable: true, maxAge: '365d', fallthrough: true, index: false }));
  // Documented in /openapi.json as GET /{page}.
  router.get('/{*page}', (req, res, next) => {
    // Only a browser navigation (Accept names text/html) gets the page: API clients and curl, which
    // send */*, keep the problem+json 404 for a route that does not exist.
    const wantsPage = (req.get('accept') ?? '').includes('text/html');
    if (req.path.startsWith('/api/') || req.path === '/api' || path.extname(req.path) !== '' || !wantsPage) return next();
    if (!existsSync(indexFile)) return next();
    res.set('Cache-Control', 'no-cache');
    res.sendFile(indexFile);
  });
  return router;
}
