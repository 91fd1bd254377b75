import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The domain library's source: pure code, one definition for the API and the console (tsconfig.json's paths). */
export const domainSource = { '@remote-help/domain': fileURLToPath(new URL('../../libs/domain/src/index.ts', import.meta.url)) };

// The console is served by the gateway at / (any static server will do): its API location comes
// from /console-config.json at run time, never from the build.
export default defineConfig({
  plugins: [react()],
  resolve: { alias: domainSource },
  base: '/',
  // GraphiQL's editor (Monaco) runs language services in module workers.
  worker: { format: 'es' },
  // The GraphQL explorer's chunk (Monaco) is large but loaded only when opened.
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, target: 'es2022', chunkSizeWarningLimit: 5000 },
});
