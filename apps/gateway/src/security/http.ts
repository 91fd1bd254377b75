import cors from 'cors';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/** Development: any port of the loopback host names (a local admin frontend, the sandbox). */
const LOCAL_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/;

/**
 * Security headers (helmet) on every response. Production serves only JSON, so its content
 * security policy allows nothing; development leaves the policy off for Apollo's sandbox page,
 * which loads its scripts from Apollo's CDN.
 */
export function securityHeaders(production: boolean): RequestHandler {
  return helmet({
    contentSecurityPolicy: production ? { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] } } : false,
    crossOriginEmbedderPolicy: false,
    crossOriginResourcePolicy: { policy: 'same-site' },
    referrerPolicy: { policy: 'no-referrer' },
  });
}

/**
 * CORS: only the configured origins get CORS headers (a browser on any other origin cannot read
 * the answers); by default none in production and the loopback origins in development.
 * Credentials (cookies) are never used: clients send bearer tokens.
 */
export function corsPolicy(origins: string[] | null, production: boolean): RequestHandler {
  const allowed = (origin: string) => (origins ? origins.includes(origin) : !production && LOCAL_ORIGIN.test(origin));
  return cors({
    origin: (origin, cb) => cb(null, origin !== undefined && allowed(origin)),
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['authorization', 'content-type', 'apollo-require-preflight', 'x-apollo-operation-name', 'x-request-id'],
    exposedHeaders: ['retry-after', 'x-request-id'],
    credentials: false,
    maxAge: 600,
  });
}
