import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

/**
 * The signed-in token, kept in memory only (never in storage). When it expires (or the API
 * refuses it) it is marked expired rather than dropped: the pages stay mounted, with what was
 * typed, under a sign-in dialog; signing in again carries on where the user was.
 */
interface Auth {
  token: string | null;
  expired: boolean;
  notice: string | null;
  signIn(token: string): void;
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

export function AuthProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState<string | null>(null);
  const [expired, setExpired] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const signOut = useCallback((why?: string) => {
    setToken(null);
    setExpired(false);
    setNotice(why ?? null);
  }, []);
  const expire = useCallback((why: string) => {
    setExpired(true);
    setNotice(why);
  }, []);
  const signIn = useCallback((t: string) => {
    setNotice(null);
    setExpired(false);
    setToken(t);
  }, []);
  useEffect(() => {
    if (!token || expired) return;
    const exp = expiryOf(token);
    if (exp === null) return;
    const timer = window.setTimeout(() => expire('Your sign-in expired. Sign in again to go on.'), Math.max(0, exp - Date.now()));
    return () => window.clearTimeout(timer);
  }, [token, expired, expire]);
  const value = useMemo(() => ({ token, expired, notice, signIn, signOut, expire }), [token, expired, notice, signIn, signOut, expire]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const a = useContext(AuthContext);
  if (!a) throw new Error('useAuth outside AuthProvider');
  return a;
}
