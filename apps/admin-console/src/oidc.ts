import { InMemoryWebStorage, UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';
import type { ConsoleConfig, OidcIssuer } from './config';

/**
 * OpenID Connect sign-in (oidc-client-ts): the Authorization Code flow with PKCE for the
 * console's public client at each issuer that has one. The tokens stay in memory (never in
 * storage); only the short-lived state of a sign-in in progress (PKCE verifier, nonce) is kept
 * in localStorage, where the callback page (this same app, at {@link CALLBACK_PATH}) finds it.
 * The access token is renewed in the background (refresh token, or a hidden frame where the
 * issuer gives none).
 */
export const CALLBACK_PATH = '/sign-in/callback';

/** The issuers the console can sign in with: those with a client id. */
export function signInIssuers(config: ConsoleConfig): (OidcIssuer & { clientId: string })[] {
  return config.oidcIssuers.filter((i): i is OidcIssuer & { clientId: string } => typeof i.clientId === 'string' && i.clientId !== '');
}

const statePrefix = (issuer: OidcIssuer) => `rh.oidc.${issuer.discoveryUrl}.`;
const managers = new Map<string, UserManager>();

/** The one UserManager of an issuer (its in-memory user lives as long as the page). */
export function managerFor(issuer: OidcIssuer & { clientId: string }): UserManager {
  const known = managers.get(issuer.discoveryUrl);
  if (known) return known;
  const wellKnown = /\/\.well-known\/openid-configuration$/;
  const origin = window.location.origin;
  const manager = new UserManager({
    authority: issuer.discoveryUrl.replace(wellKnown, ''),
    ...(wellKnown.test(issuer.discoveryUrl) ? { metadataUrl: issuer.discoveryUrl } : {}),
    client_id: issuer.clientId,
    redirect_uri: `${origin}${CALLBACK_PATH}`,
    popup_redirect_uri: `${origin}${CALLBACK_PATH}`,
    silent_redirect_uri: `${origin}${CALLBACK_PATH}`,
    post_logout_redirect_uri: `${origin}/`,
    response_type: 'code',
    scope: issuer.scope ?? 'openid profile offline_access',
    ...(issuer.resource ? { resource: issuer.resource } : {}),
    userStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
    stateStore: new WebStorageStateStore({ store: window.localStorage, prefix: statePrefix(issuer) }),
    automaticSilentRenew: true,
    monitorSession: false,
    loadUserInfo: false,
  });
  managers.set(issuer.discoveryUrl, manager);
  return manager;
}

/** What the page found at start: a finished sign-in, a failed one, or nothing to do. */
export type CallbackOutcome =
  | { kind: 'none' }
  /** A popup or hidden frame whose answer went to the window that opened it: render nothing. */
  | { kind: 'handled' }
  | { kind: 'signed-in'; user: User; manager: UserManager; returnTo: string }
  | { kind: 'failed'; message: string };

/** On {@link CALLBACK_PATH}: completes the sign-in with the issuer whose state it carries. */
export async function completeSignIn(config: ConsoleConfig): Promise<CallbackOutcome> {
  if (window.location.pathname !== CALLBACK_PATH) return { kind: 'none' };
  const params = new URLSearchParams(window.location.search);
  const state = params.get('state') ?? '';
  const issuer = signInIssuers(config).find((i) => window.localStorage.getItem(statePrefix(i) + state) !== null);
  const leave = () => window.history.replaceState(null, '', '/');
  if (!issuer) {
    leave();
    const why = params.get('error_description') ?? params.get('error');
    return { kind: 'failed', message: why ? `The sign-in did not complete: ${why}.` : 'The sign-in did not complete (it was started elsewhere or is too old). Sign in again.' };
  }
  const manager = managerFor(issuer);
  try {
    const user = await manager.signinCallback();
    if (!user) return { kind: 'handled' };
    const returnTo = typeof user.state === 'string' && user.state.startsWith('/') && !user.state.startsWith('//') ? user.state : '/';
    window.history.replaceState(null, '', returnTo);
    return { kind: 'signed-in', user, manager, returnTo };
  } catch (e) {
    // A popup or frame whose opener is gone also lands here: there is nobody to tell but this page.
    leave();
    return { kind: 'failed', message: `Sign-in with ${issuer.label ?? new URL(issuer.discoveryUrl).host} failed: ${(e as Error).message}` };
  }
}
