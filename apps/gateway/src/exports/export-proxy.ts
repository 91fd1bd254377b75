import type { Caller } from '@remote-help/auth';
import express from 'express';
import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type { Logger } from 'pino';
import { request } from 'undici';
import type { InternalSigner } from '../subgraph-client';

/** The CSV exports of the contract, each streamed by reporting-service's `/internal/exports/<file>`. */
export const EXPORT_FILES = ['remote-help-sessions.csv', 'audit-events.csv'] as const;

/** Headers of reporting-service's answer that the client gets. */
const PASSED_HEADERS = ['content-type', 'content-disposition', 'cache-control'];

export interface ExportProxyOptions {
  /** reporting-service's base URL. */
  reportingUrl: string;
  signer: InternalSigner;
  /** Authenticates the bearer token and takes a request from the caller's budgets (401 errors). */
  admit: (authorization: string | undefined) => Promise<Caller>;
  /** Most time between two chunks of the file from reporting-service. */
  timeoutMs: number;
  log: Logger;
}

/**
 * `GET /exports/remote-help-sessions.csv` and `GET /exports/audit-events.csv`: with the caller's
 * bearer token (then reporting-service gets the caller's internal token), or with `?ticket=` from
 * createExportTicket (then the gateway's own, and reporting-service takes the ticket for its
 * user). The file is streamed through as reporting-service writes it, never held here.
 */
export function exportRoutes(o: ExportProxyOptions): express.Router {
  const router = express.Router();
  router.get('/exports/:file', async (req, res) => {
    const requestId = (req.headers['x-request-id'] as string | undefined)?.slice(0, 128) || randomUUID();
    res.setHeader('x-request-id', requestId);
    const file = req.params.file;
    if (!(EXPORT_FILES as readonly string[]).includes(file)) {
      res.status(404).json({ errors: [{ message: `no export ${file}: ${EXPORT_FILES.join(', ')}`, extensions: { code: 'NOT_FOUND' } }] });
      return;
    }
    let caller: Caller;
    try {
      caller = 'ticket' in req.query ? { kind: 'service', service: 'gateway' } : await o.admit(req.headers.authorization);
    } catch (e) {
      const err = e as { message: string; extensions?: { code?: string; http?: { status?: number } } };
      const status = err.extensions?.http?.status ?? (err.extensions?.code === 'UNAUTHENTICATED' ? 401 : 500);
      const retryAfter = (err.extensions as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
      if (retryAfter) res.setHeader('retry-after', String(retryAfter));
      res.status(status).json({ errors: [{ message: err.message, extensions: { code: err.extensions?.code ?? 'INTERNAL_SERVER_ERROR' } }] });
      return;
    }
    const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
    const url = new URL(`/internal/exports/${file}${query}`, o.reportingUrl);
    try {
      const token = await o.signer.sign(caller, 'reporting-service', requestId);
      const upstream = await request(url, { method: 'GET', headers: { authorization: `Bearer ${token}`, 'x-request-id': requestId }, headersTimeout: o.timeoutMs, bodyTimeout: o.timeoutMs });
      res.status(upstream.statusCode);
      for (const h of PASSED_HEADERS) {
        const v = upstream.headers[h];
        if (typeof v === 'string') res.setHeader(h, v);
      }
      await pipeline(upstream.body, res);
    } catch (e) {
      o.log.warn({ err: (e as Error).message, requestId, file }, 'CSV export interrupted');
      if (!res.headersSent) res.status(502).json({ errors: [{ message: 'the export is unavailable right now: reporting-service did not answer', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      else res.destroy(); // a cut file must not look complete
    }
  });
  return router;
}
