import { useState } from 'react';
import { useAuth } from './auth';
import type { ConsoleConfig } from './config';

export function SignIn({ config }: { config: ConsoleConfig }) {
  const { signIn, notice, expired } = useAuth();
  // In the dialog over the pages (an expired sign-in) it is not the page's main landmark.
  const Wrapper = expired ? 'div' : 'main';
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <Wrapper className="center" {...(expired ? {} : { id: 'main' })}>
      <h1 id="sign-in-title">Sign in to the Remote Help admin center</h1>
      {notice && (
        <p role="alert" className="error">
          {notice}
        </p>
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
      ) : config.oidcIssuers.length === 0 ? (
        <p role="alert">No sign-in method is configured on this gateway (no OpenID Connect issuer, development issuer off).</p>
      ) : null}
    </Wrapper>
  );
}
