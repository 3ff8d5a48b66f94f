import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/** The renderer build: static files the Electron window and the web host both serve. */
export default defineConfig({
  // Vite defines __dirname in config files; outDir is resolved against root.
  root: __dirname,
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
  },
  worker: { format: 'es' },
});
