import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

/** The staff pages: built from web/ into web/dist, served by the API's Express process at /. */
export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // antd alone is over Vite's 500 kB default for one chunk before gzip; the budget that counts is the bench's gzip total.
    chunkSizeWarningLimit: 1500,
  },
  server: { fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] } },
});
