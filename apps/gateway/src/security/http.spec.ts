import express from 'express';
import type { AddressInfo } from 'node:net';
import { corsPolicy, securityHeaders } from './http';

async function serve(production: boolean, origins: string[] | null) {
  const app = express();
  app.use(securityHeaders(production));
  app.use(corsPolicy(origins, production));
  app.post('/graphql', (_req, res) => {
    res.json({ ok: true });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  const preflight = async (origin: string) =>
    (await fetch(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' } })).headers.get('access-control-allow-origin');
  return { url, preflight, close: () => new Promise((r) => server.close(r)) };
}

describe('CORS policy', () => {
  it('production without CORS_ORIGINS: no origin at all', async () => {
    const s = await serve(true, null);
    try {
      expect(await s.preflight('http://localhost:3000')).toBeNull();
      expect(await s.preflight('https://admin.contoso.com')).toBeNull();
    } finally {
      await s.close();
    }
  });

  it('development without CORS_ORIGINS: loopback origins on any port', async () => {
    const s = await serve(false, null);
    try {
      expect(await s.preflight('http://localhost:3000')).toBe('http://localhost:3000');
      expect(await s.preflight('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
      expect(await s.preflight('http://localhost.evil.example')).toBeNull();
      expect(await s.preflight('https://admin.contoso.com')).toBeNull();
    } finally {
      await s.close();
    }
  });

  it('CORS_ORIGINS: exactly those origins, in either mode', async () => {
    for (const production of [true, false]) {
      const s = await serve(production, ['https://admin.contoso.com']);
      try {
        expect(await s.preflight('https://admin.contoso.com')).toBe('https://admin.contoso.com');
        expect(await s.preflight('https://admin.contoso.com.evil.example')).toBeNull();
        expect(await s.preflight('http://localhost:3000')).toBeNull();
      } finally {
        await s.close();
      }
    }
  });
});

describe('security headers', () => {
  it('production: a content security policy that allows nothing', async () => {
    const s = await serve(true, null);
    try {
      const res = await fetch(s.url, { method: 'POST' });
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none';base-uri 'none';form-action 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    } finally {
      await s.close();
    }
  });
});
