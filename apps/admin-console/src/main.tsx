import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { loadConfig } from './config';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
loadConfig().then(
  (config) =>
    root.render(
      <StrictMode>
        <App config={config} />
      </StrictMode>,
    ),
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
