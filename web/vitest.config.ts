/** Component tests of the web console (jsdom): `npx vitest run --config web/vitest.config.ts`. */
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  // caches under the repository's node_modules, not a web/node_modules of their own
  cacheDir: fileURLToPath(new URL('../node_modules/.vite-web', import.meta.url)),
  test: {
    name: 'web',
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test-setup.ts'],
    testTimeout: 20_000,
    css: false,
  },
});
