import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Paths are relative to this file's folder (the renderer root), so no Node path helpers are needed here.
const root = new URL('.', import.meta.url).pathname;

/** The renderer build: static files the Electron window and the web host both serve. */
export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: new URL('../dist/renderer', import.meta.url).pathname,
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
  },
  worker: { format: 'es' },
});
