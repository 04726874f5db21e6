import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer: one build served both by Electron's app:// protocol and by the loopback HTTP host.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: { outDir: '../dist/renderer', emptyOutDir: true, sourcemap: true, target: 'chrome120' },
});
