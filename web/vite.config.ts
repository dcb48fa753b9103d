/**
 * The web console: React 19 + Vite 7, built to web/dist, which `pitlane serve` hosts under `/`.
 * `npx vite --config web/vite.config.ts` runs a dev server that proxies the API to a running
 * `pitlane serve` (PITLANE_API, default http://localhost:8080).
 */
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const api = process.env.PITLANE_API ?? 'http://localhost:8080';

export default defineConfig({
  root,
  base: '/',
  // caches under the repository's node_modules, not a web/node_modules of their own
  cacheDir: fileURLToPath(new URL('../node_modules/.vite-web', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 900,
    reportCompressedSize: false,
    rollupOptions: {
      output: {
        // ECharts is large and only the map, the settlement and the dashboard need it
        manualChunks: (id) => (/node_modules[\\/](echarts|zrender)[\\/]/.test(id) ? 'echarts' : undefined),
      },
    },
  },
  server: { proxy: { '/api': api, '/healthz': api } },
  preview: { proxy: { '/api': api } },
});
