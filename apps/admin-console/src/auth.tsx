import type { UserManager } from 'oidc-client-ts';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

/**
 * The signed-in token, kept in memory only (never in storage). When it expires (or the API
 * refuses it) it is marked expired rather than dropped: the pages stay mounted, with what was
 * typed, under a sign-in dialog; signing in again carries on where the user was.
 * Signed in through an OpenID Connect issuer, `oidc` is its UserManager: its renewed access
 * tokens replace the token, and signing out ends the session at the issuer too.
 */
interface Auth {
  token: string | null;
  expired: boolean;
  notice: string | null;
  oidc: UserManager | null;
  signIn(token: string, oidc?: UserManager): void;
  signOut(notice?: string): void;
  expire(notice: string): void;
}

const AuthContext = createContext<Auth | null>(null);

/** The `exp` of a JWT in ms, or null when it cannot be read (the API decides then). */
export function expiryOf(token: string): number | null {
  try {
    const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown };
    return typeof payload.exp === 'number' ? payload.exp * 1000 : null;
  } catch {
    return null;
  }
}

/** What the page starts with: a sign-in just completed at the issuer, or why it failed. */
export interface InitialAuth {
  token?: string;
  oidc?: UserManager;
  notice?: string;
}

export function AuthProvider({ children, initial = {} }: { children: ReactNode; initial?: InitialAuth }) {
  const [token, setToken] = useState<string | null>(initial.token ?? null);
  const [oidc, setOidc] = useState<UserManager | null>(initial.oidc ?? null);
  const [expired, setExpired] = useState(false);
  const [notice, setNotice] = useState<string | null>(initial.notice ?? null);
  const signOut = useCallback(
    (why?: string) => {
      setToken(null);
      setExpired(false);
      setNotice(why ?? null);
      setOidc(null);
      if (!oidc) return;
      // Pressing Sign out ends the session at the issuer as well (when it offers that), so the next
      // sign-in asks again; a sign-out for a reason (a device token) only forgets the token here.
      const atIssuer =
        why === undefined
          ? oidc.metadataService.getEndSessionEndpoint().then(
              (url) => !!url,
              () => false,
            )
          : Promise.resolve(false);
      void atIssuer.then((yes) => (yes ? oidc.signoutRedirect() : oidc.removeUser())).catch(() => oidc.removeUser());
    },
    [oidc],
  );
  const expire = useCallback((why: string) => {
    setExpired(true);
    setNotice(why);
  }, []);
  const signIn = useCallback((t: string, manager?: UserManager) => {
    setNotice(null);
    setExpired(false);
    setToken(t);
    setOidc(manager ?? null);
  }, []);
  // Renewals (refresh token or hidden frame) bring a new access token before the old one expires.
  useEffect(() => {
    if (!oidc) return;
    const renewed = (user: { access_token: string }) => {
      setToken(user.access_token);
      setExpired(false);
    };
    oidc.events.addUserLoaded(renewed);
    return () => oidc.events.removeUserLoaded(renewed);
  }, [oidc]);
  useEffect(() => {
    if (!token || expired) return;
    const exp = expiryOf(token);
    if (exp === null) return;
    const timer = window.setTimeout(() => expire('Your sign-in expired. Sign in again to go on.'), Math.max(0, exp - Date.now()));
    return () => window.clearTimeout(timer);
  }, [token, expired, expire]);
  const value = useMemo(() => ({ token, expired, notice, oidc, signIn, signOut, expire }), [token, expired, notice, oidc, signIn, signOut, expire]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const a = useContext(AuthContext);
  if (!a) throw new Error('useAuth outside AuthProvider');
  return a;
}
