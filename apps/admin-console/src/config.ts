import { createContext, useContext } from 'react';

/** The runtime configuration the gateway writes (`/console-config.json`): no rebuild per deployment. */
export interface ConsoleConfig {
  apiUrl: string;
  devIssuer: boolean;
  oidcIssuers: OidcIssuer[];
  /** Whether the GraphQL explorer (GraphiQL) is offered. */
  graphiql: boolean;
}

/** An issuer the gateway accepts; with a `clientId`, the console signs in with it (see oidc.ts). */
export interface OidcIssuer {
  discoveryUrl: string;
  audience: string | string[];
  clientId?: string;
  scope?: string;
  resource?: string;
  label?: string;
}

export async function loadConfig(): Promise<ConsoleConfig> {
  const res = await fetch('/console-config.json', { cache: 'no-store' });
  if (!res.ok) throw new Error(`the console configuration could not be read (HTTP ${res.status})`);
  return (await res.json()) as ConsoleConfig;
}

/** The absolute HTTP and WebSocket URLs of the API. */
export function apiUrls(config: ConsoleConfig): { http: string; ws: string } {
  const http = new URL(config.apiUrl, window.location.href);
  const ws = new URL(http.href);
  ws.protocol = http.protocol === 'https:' ? 'wss:' : 'ws:';
  return { http: http.href, ws: ws.href };
}

export const ConfigContext = createContext<ConsoleConfig | null>(null);

export function useConfig(): ConsoleConfig {
  const c = useContext(ConfigContext);
  if (!c) throw new Error('useConfig outside the app');
  return c;
}

/** The URL of a CSV export of the gateway that serves the API. */
export function exportUrl(config: ConsoleConfig, file: string, params: Record<string, string>): string {
  const url = new URL(`../exports/${file}`, new URL(config.apiUrl.replace(/\/?$/, '/'), window.location.href));
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.href;
}
