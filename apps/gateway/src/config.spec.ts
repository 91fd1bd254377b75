import { loadConfig } from '@remote-help/service-kit';
import { configSpec, crossCheck, parseOrigins } from './config';

const load = (env: Record<string, string>) => loadConfig(configSpec, env);

describe('gateway configuration', () => {
  it('has safe defaults: no OIDC issuer, mode-dependent CORS, armor and rate limits on', () => {
    const c = load({});
    expect(c.OIDC_ISSUERS).toEqual([]);
    expect(c.CORS_ORIGINS).toBeNull();
    expect([c.GRAPHQL_MAX_DEPTH, c.GRAPHQL_MAX_ALIASES, c.GRAPHQL_MAX_DIRECTIVES, c.GRAPHQL_MAX_TOKENS, c.GRAPHQL_MAX_COST]).toEqual([10, 15, 20, 1000, 5000]);
    expect([c.RATE_LIMIT_PER_CALLER, c.RATE_LIMIT_PER_TENANT, c.RATE_LIMIT_SESSION_PER_CALLER, c.RATE_LIMIT_SESSION_PER_TENANT]).toEqual([1200, 12000, 30, 300]);
  });

  it('reads OIDC_ISSUERS, with the claims and tenant bindings of each issuer', () => {
    const c = load({
      OIDC_ISSUERS: JSON.stringify([
        { discoveryUrl: 'https://login.microsoftonline.com/organizations/v2.0', audience: 'api://remote-help' },
        { discoveryUrl: 'https://idp.fabrikam.com/realms/main', audience: ['a', 'b'], claims: { tenant: 'org', upn: 'email' }, tenants: ['t-1'] },
      ]),
    });
    expect(c.OIDC_ISSUERS).toEqual([
      { discoveryUrl: 'https://login.microsoftonline.com/organizations/v2.0', audience: 'api://remote-help' },
      { discoveryUrl: 'https://idp.fabrikam.com/realms/main', audience: ['a', 'b'], claims: { tenant: 'org', upn: ['email'] }, tenants: ['t-1'] },
    ]);
  });

  it.each([
    ['{', /OIDC_ISSUERS: must be a JSON array/],
    ['{}', /OIDC_ISSUERS: must be a JSON array/],
    ['[{"audience":"a"}]', /entry 1: discoveryUrl is required/],
    ['[{"discoveryUrl":"ftp://x","audience":"a"}]', /entry 1: discoveryUrl must be an http\(s\) URL/],
    ['[{"discoveryUrl":"https://x"}]', /entry 1: audience must be a non-empty string/],
    ['[{"discoveryUrl":"https://x","audience":"a","claims":{"tenantId":"tid"}}]', /unknown claim mapping "tenantId"/],
    ['[{"discoveryUrl":"https://x","audience":"a","algorithms":["HS256"]}]', /algorithm HS256 is not allowed/],
    ['[{"discoveryUrl":"https://x","audience":"a"},{"discoveryUrl":"https://x","audience":"b"}]', /entry 2: https:\/\/x\/ is listed twice/],
    ['[{"discoveryUrl":"https://x","audience":"a","issuer":"y"}]', /entry 1: unknown field "issuer"/],
  ])('refuses OIDC_ISSUERS=%s', (raw, message) => {
    expect(() => load({ OIDC_ISSUERS: raw })).toThrow(message);
  });

  it('reads CORS_ORIGINS as a list of origins', () => {
    expect(load({ CORS_ORIGINS: 'https://admin.contoso.com, http://localhost:3000' }).CORS_ORIGINS).toEqual(['https://admin.contoso.com', 'http://localhost:3000']);
    expect(() => parseOrigins('https://admin.contoso.com/app')).toThrow(/not an origin/);
    expect(() => parseOrigins('*')).toThrow(/not an origin/);
  });

  it('requires HTTPS discovery in production, except on a loopback address', () => {
    const issuers = (url: string) => JSON.stringify([{ discoveryUrl: url, audience: 'a' }]);
    expect(crossCheck(load({ NODE_ENV: 'production', OIDC_ISSUERS: issuers('http://idp.example.com') }))).toMatch(/^OIDC_ISSUERS: entry 1: discoveryUrl must be an https URL in production/);
    expect(crossCheck(load({ NODE_ENV: 'production', OIDC_ISSUERS: issuers('http://127.0.0.1:8080') }))).toBeUndefined();
    expect(crossCheck(load({ NODE_ENV: 'production', OIDC_ISSUERS: issuers('https://idp.example.com') }))).toBeUndefined();
    expect(crossCheck(load({ OIDC_ISSUERS: issuers('http://idp.example.com') }))).toBeUndefined();
  });

  it('checks that each console OIDC client belongs to an accepted issuer', () => {
    const issuers = JSON.stringify([{ discoveryUrl: 'https://idp.example.com', audience: 'a' }]);
    const clients = (url: string) => JSON.stringify([{ discoveryUrl: url, clientId: 'console' }]);
    expect(load({}).CONSOLE_OIDC_CLIENTS).toEqual([]);
    expect(crossCheck(load({ OIDC_ISSUERS: issuers, CONSOLE_OIDC_CLIENTS: clients('https://idp.example.com') }))).toBeUndefined();
    expect(crossCheck(load({ OIDC_ISSUERS: issuers, CONSOLE_OIDC_CLIENTS: clients('https://idp.example.com/') }))).toMatch(/^CONSOLE_OIDC_CLIENTS: https:\/\/idp.example.com\/ is not an issuer of OIDC_ISSUERS/);
    expect(() => load({ CONSOLE_OIDC_CLIENTS: '[{"clientId":"c"}]' })).toThrow(/CONSOLE_OIDC_CLIENTS: entry 1: discoveryUrl is required/);
  });

  it('shares the rate limits every 250 ms by default; 0 turns the sharing off; below 20 ms is refused', () => {
    expect(load({}).RATE_LIMIT_SYNC_MS).toBe(250);
    expect(load({ RATE_LIMIT_SYNC_MS: '0' }).RATE_LIMIT_SYNC_MS).toBe(0);
    expect(() => load({ RATE_LIMIT_SYNC_MS: '5' })).toThrow(/RATE_LIMIT_SYNC_MS: must be between 20 and 60000/);
  });

  it('refuses a shutdown drain that does not end within the grace period', () => {
    expect([load({}).SHUTDOWN_GRACE_SECONDS, load({}).SHUTDOWN_DRAIN_SECONDS]).toEqual([30, 0]);
    expect(crossCheck(load({ SHUTDOWN_DRAIN_SECONDS: '30' }))).toMatch(/^SHUTDOWN_DRAIN_SECONDS: must be less than SHUTDOWN_GRACE_SECONDS \(30\)/);
    expect(crossCheck(load({ SHUTDOWN_DRAIN_SECONDS: '5' }))).toBeUndefined();
  });

  it('turns a rate limit off with 0', () => {
    expect(load({ RATE_LIMIT_PER_CALLER: '0' }).RATE_LIMIT_PER_CALLER).toBe(0);
    expect(() => load({ RATE_LIMIT_PER_CALLER: '-1' })).toThrow(/RATE_LIMIT_PER_CALLER/);
  });
});
