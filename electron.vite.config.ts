/**
 * electron-vite: main (+ the ingest utility process), preload (CommonJS: sandboxed preloads cannot
 * be ES modules) and the renderer (the same build as vite.renderer.config.ts) into out/.
 */
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { rendererConfig } from './vite.renderer.config';

const root = import.meta.dirname ?? process.cwd();

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      // better-sqlite3 stays a real dependency: electron-builder rebuilds it for Electron.
      externalizeDeps: true,
      rollupOptions: {
        input: {
          index: resolve(root, 'electron/main/index.ts'),
          'ingest-worker': resolve(root, 'electron/ingest-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(root, 'electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    ...rendererConfig,
    build: {
      ...rendererConfig.build,
      rollupOptions: { ...rendererConfig.build?.rollupOptions, input: resolve(root, 'renderer/index.html') },
    },
  },
});
