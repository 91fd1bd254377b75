import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthProvider, useAuth } from './auth';
import type { ConsoleConfig } from './config';
import { SignIn } from './sign-in';

const CONFIG: ConsoleConfig = { apiUrl: '/graphql', devIssuer: true, oidcIssuers: [], graphiql: false };
// A token's shape (three base64url parts); its signature is the API's to check, not the form's.
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';

function SignedInAs() {
  const { token } = useAuth();
  return <output aria-label="token">{token ?? 'none'}</output>;
}

function renderSignIn(config: ConsoleConfig) {
  return render(
    <AuthProvider>
      <SignIn config={config} />
      <SignedInAs />
    </AuthProvider>,
  );
}

afterEach(cleanup);

describe('the sign-in page', () => {
  it('refuses what is not a whole token, in place, keeping it; takes a whole one', () => {
    renderSignIn(CONFIG);
    const field = screen.getByLabelText('Development token') as HTMLTextAreaElement;
    for (const bad of ['', 'not a token', 'a.b', 'a.b.c.d', 'a.b.c d']) {
      fireEvent.change(field, { target: { value: bad } });
      fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
      expect([bad, screen.getByRole('alert').textContent]).toEqual([bad, expect.stringMatching(/^Paste a whole token/)]);
      expect(field.value).toBe(bad);
      expect(screen.getByLabelText('token').textContent).toBe('none');
    }
    expect(field.getAttribute('aria-describedby')).toContain(screen.getByRole('alert').id);
    fireEvent.change(field, { target: { value: `  ${TOKEN}\n` } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(screen.getByLabelText('token').textContent).toBe(TOKEN);
  });

  it('offers "Sign in with ..." for each issuer with a console client only, and says when there is no way in', () => {
    const issuers = [
      { discoveryUrl: 'https://login.example.com/t/v2.0', audience: 'api://remote-help', clientId: 'console', label: 'Contoso' },
      { discoveryUrl: 'https://idp.example.org', audience: 'x', clientId: 'c2' },
      { discoveryUrl: 'https://api-only.example.net', audience: 'x' },
    ];
    renderSignIn({ ...CONFIG, devIssuer: false, oidcIssuers: issuers });
    expect(screen.getAllByRole('button').map((b) => b.textContent)).toEqual(['Sign in with Contoso', 'Sign in with idp.example.org']);
    expect(screen.queryByLabelText('Development token')).toBeNull();
    cleanup();
    renderSignIn({ ...CONFIG, devIssuer: false, oidcIssuers: issuers.slice(2) });
    expect(screen.getByRole('alert').textContent).toMatch(/^No sign-in method is configured/);
  });
});
