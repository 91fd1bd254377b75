import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { domainSource } from './vite.config';

// Component tests of the console (Vitest + Testing Library in jsdom): `*.spec.tsx` beside the
// components; `npm test -- components` runs them (a part of `npm test`).
export default defineConfig({
  plugins: [react()],
  resolve: { alias: domainSource },
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['src/**/*.spec.{ts,tsx}'],
    environment: 'jsdom',
  },
});
