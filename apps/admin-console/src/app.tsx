import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { BrowserRouter, Navigate, NavLink, Route, Routes } from 'react-router';
import { Provider, useQuery } from 'urql';
import { AuthProvider, useAuth, type InitialAuth } from './auth';
import { createApiClient } from './client';
import { apiUrls, ConfigContext, useConfig, type ConsoleConfig } from './config';
import { LiveContext } from './live-count';
import { ME, MeContext, type Me } from './me';
import { PAGES } from './pages';
import { SignIn } from './sign-in';

// The GraphQL explorer: a chunk of its own (the editor is large), loaded only when opened.
const GraphiQLPage = lazy(() => import('./graphiql-page'));
import { ErrorMessage, Loading, messageOf } from './ui';

export function App({ config, initial }: { config: ConsoleConfig; initial?: InitialAuth }) {
  return (
    <ConfigContext.Provider value={config}>
      <AuthProvider initial={initial}>
        <Gate config={config} />
      </AuthProvider>
    </ConfigContext.Provider>
  );
}

function Gate({ config }: { config: ConsoleConfig }) {
  const { token, expired, expire } = useAuth();
  const urls = useMemo(() => apiUrls(config), [config]);
  const api = useMemo(() => (token ? createApiClient(urls, token, () => expire('Your sign-in is no longer valid (expired or revoked). Sign in again to go on.')) : null), [token, urls, expire]);
  useEffect(() => () => api?.close(), [api]);
  if (!token || !api) return <SignIn config={config} />;
  return (
    <>
      <div inert={expired}>
        <Provider value={api.client}>
          <LiveContext.Provider value={api.live}>
            <SignedIn />
          </LiveContext.Provider>
        </Provider>
      </div>
      {expired && (
        <div className="overlay">
          <div role="dialog" aria-modal="true" aria-labelledby="sign-in-title" className="dialog">
            <SignIn config={config} />
          </div>
        </div>
      )}
    </>
  );
}

function SignedIn() {
  const { signOut } = useAuth();
  const [{ data, error, fetching }] = useQuery({ query: ME, requestPolicy: 'network-only' });
  // The last known account stays while a new sign-in reads it again, so the pages (and what was
  // typed in them) stay mounted.
  const [me, setMe] = useState<Me | null>(null);
  const [meRead, setMeRead] = useState<typeof data>(undefined);
  if (data?.me && data !== meRead) {
    setMeRead(data);
    setMe({ ...data.me, tenant: data.tenant });
  }
  useEffect(() => {
    if (data && !data.me) signOut('This token belongs to a device, not to a user: the admin center needs a user.');
  }, [data, signOut]);
  if (!me && fetching && !data) return <Loading what="your account" />;
  if (!me && error && !data)
    return (
      <main className="center">
        <h1>Remote Help admin center</h1>
        <ErrorMessage error={error} />
        <button type="button" onClick={() => signOut()}>
          Sign out
        </button>
      </main>
    );
  if (!me) return null;
  return (
    <MeContext.Provider value={me}>
      <BrowserRouter>
        <Layout key={me.id} me={me} />
      </BrowserRouter>
    </MeContext.Provider>
  );
}

function Layout({ me }: { me: Me }) {
  const { signOut } = useAuth();
  const [menuOpen, setMenuOpen] = useState(false);
  const { graphiql } = useConfig();
  const allowed = PAGES.filter((p) => me.effectiveAdminPermissions.includes(p.permission));
  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <button type="button" className="menu" aria-expanded={menuOpen} aria-controls="nav" onClick={() => setMenuOpen(!menuOpen)}>
          Menu
        </button>
        <span className="brand">Remote Help admin center</span>
        <span className="who">
          {me.profile.displayName} · {me.tenant.displayName}
        </span>
        <button type="button" onClick={() => signOut()}>
          Sign out
        </button>
      </header>
      <nav id="nav" aria-label="Admin center" className={menuOpen ? 'open' : ''}>
        <ul>
          {allowed.map((p) => (
            <li key={p.path}>
              <NavLink to={`/${p.path}`} onClick={() => setMenuOpen(false)}>
                {p.name}
              </NavLink>
            </li>
          ))}
          {graphiql && (
            <li>
              <NavLink to="/graphiql" onClick={() => setMenuOpen(false)}>
                GraphQL explorer
              </NavLink>
            </li>
          )}
        </ul>
      </nav>
      <main id="main">
        <Suspense fallback={<Loading what="the page" />}>
          <Routes>
            <Route path="/" element={allowed.length ? <Navigate to={`/${allowed[0].path}`} replace /> : <NoRole />} />
            {PAGES.map((p) => (
              <Route key={p.path} path={`/${p.path}`} element={allowed.includes(p) ? <p.Component /> : allowed.length ? <NotAllowed name={p.name} /> : <NoRole />} />
            ))}
            {graphiql && <Route path="/graphiql" element={<GraphiQLPage />} />}
            <Route path="*" element={<NotFound />} />
          </Routes>
        </Suspense>
      </main>
    </div>
  );
}

function NoRole() {
  return (
    <section>
      <h1>You have no administrative role</h1>
      <p>Your account can use Remote Help, but it holds no admin permission in this tenant, so there is nothing to manage here.</p>
      <p>Ask a Remote Help administrator to add you to a group that has a role assignment with admin permissions.</p>
    </section>
  );
}

function NotAllowed({ name }: { name: string }) {
  return (
    <section>
      <h1>{name}</h1>
      <p role="alert">Your role does not allow this page. Ask a Remote Help administrator for the permission it needs.</p>
    </section>
  );
}

function NotFound() {
  return (
    <section>
      <h1>Page not found</h1>
      <p>There is no such page in the admin center.</p>
    </section>
  );
}

export { messageOf };
