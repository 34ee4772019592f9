/**
 * The renderer as a plain web build (`npm run build:renderer` → out/renderer), which `podcap serve`
 * serves; electron.vite.config.ts builds the same renderer for the Electron window.
 */
import react from '@vitejs/plugin-react';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type UserConfig } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));

export const rendererConfig: UserConfig = {
  root: resolve(here, 'renderer'),
  base: './',
  plugins: [react()],
  build: {
    outDir: resolve(here, 'out/renderer'),
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: true,
    // One small app: keep d3 and React in their own long-lived chunk.
    rollupOptions: { output: { manualChunks: { vendor: ['react', 'react-dom', 'd3'] } } },
  },
};

export default defineConfig(rendererConfig);
