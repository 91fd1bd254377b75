import { useState } from 'react';
import { useAuth } from './auth';
import type { ConsoleConfig } from './config';
import { managerFor, signInIssuers } from './oidc';

export function SignIn({ config }: { config: ConsoleConfig }) {
  const { signIn, notice, expired } = useAuth();
  // In the dialog over the pages (an expired sign-in) it is not the page's main landmark.
  const Wrapper = expired ? 'div' : 'main';
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [oidcProblem, setOidcProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const issuers = signInIssuers(config);
  const withIssuer = async (issuer: (typeof issuers)[number]) => {
    const manager = managerFor(issuer);
    const label = issuer.label ?? new URL(issuer.discoveryUrl).host;
    setOidcProblem(null);
    setBusy(issuer.discoveryUrl);
    try {
      if (expired) {
        // Over the pages (an expired sign-in): a popup, so that nothing typed is lost.
        const user = await manager.signinPopup();
        signIn(user.access_token, manager);
      } else {
        // The whole page goes to the issuer and comes back where it was.
        await manager.signinRedirect({ state: window.location.pathname });
      }
    } catch (e) {
      setOidcProblem(`Sign-in with ${label} did not complete: ${(e as Error).message}`);
    } finally {
      setBusy(null);
    }
  };
  return (
    <Wrapper className="center" {...(expired ? {} : { id: 'main' })}>
      <h1 id="sign-in-title">Sign in to the Remote Help admin center</h1>
      {notice && (
        <p role="alert" className="error">
          {notice}
        </p>
      )}
      {issuers.length > 0 && (
        <div className="sign-in-issuers">
          {issuers.map((i) => (
            <button key={i.discoveryUrl} type="button" className="primary" disabled={busy !== null} onClick={() => void withIssuer(i)}>
              Sign in with {i.label ?? new URL(i.discoveryUrl).host}
            </button>
          ))}
          {oidcProblem && (
            <p role="alert" className="error">
              {oidcProblem}
            </p>
          )}
        </div>
      )}
      {config.devIssuer ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const t = token.trim();
            if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(t)) {
              setProblem('Paste a whole token: three parts separated by dots, as printed by npm run -s rh -- token.');
              return;
            }
            signIn(t);
          }}
        >
          <label htmlFor="dev-token">Development token</label>
          <textarea id="dev-token" rows={4} value={token} onChange={(e) => setToken(e.target.value)} aria-describedby="dev-token-help dev-token-problem" />
          <p id="dev-token-help" className="muted">
            A token of the development issuer: <code>npm run -s rh -- token --tenant TENANT_ID --user UPN</code>
          </p>
          {problem && (
            <p id="dev-token-problem" role="alert" className="error">
              {problem}
            </p>
          )}
          <button type="submit" className="primary">
            Sign in
          </button>
        </form>
      ) : issuers.length === 0 ? (
        <p role="alert">No sign-in method is configured on this gateway (no OpenID Connect client for the console, development issuer off).</p>
      ) : null}
    </Wrapper>
  );
}
