import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

/** The signed-in token, kept in memory only (never in storage), and why the last session ended. */
interface Auth {
  token: string | null;
  notice: string | null;
  signIn(token: string): void;
  signOut(notice?: string): void;
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
  const [notice, setNotice] = useState<string | null>(null);
  const signOut = useCallback((why?: string) => {
    setToken(null);
    setNotice(why ?? null);
  }, []);
  const signIn = useCallback((t: string) => {
    setNotice(null);
    setToken(t);
  }, []);
  // An expired token leads back to sign-in, with the reason.
  useEffect(() => {
    if (!token) return;
    const exp = expiryOf(token);
    if (exp === null) return;
    const timer = window.setTimeout(() => signOut('Your sign-in expired. Sign in again to go on.'), Math.max(0, exp - Date.now()));
    return () => window.clearTimeout(timer);
  }, [token, signOut]);
  const value = useMemo(() => ({ token, notice, signIn, signOut }), [token, notice, signIn, signOut]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const a = useContext(AuthContext);
  if (!a) throw new Error('useAuth outside AuthProvider');
  return a;
}
