import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { loadConfig } from './config';
import { completeSignIn } from './oidc';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
loadConfig().then(
  async (config) => {
    // Back from an issuer's sign-in page: finish it first (a popup or a hidden frame just reports
    // to its opener and shows nothing).
    const outcome = await completeSignIn(config);
    if (outcome.kind === 'handled') return;
    const initial = outcome.kind === 'signed-in' ? { token: outcome.user.access_token, oidc: outcome.manager } : outcome.kind === 'failed' ? { notice: outcome.message } : {};
    root.render(
      <StrictMode>
        <App config={config} initial={initial} />
      </StrictMode>,
    );
  },
  (e: Error) =>
    root.render(
      <main className="center">
        <h1>Remote Help admin center</h1>
        <p role="alert" className="error">
          The console cannot start: {e.message}. Is the gateway running?
        </p>
      </main>,
    ),
);
