import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer: one build served both by Electron's app:// protocol and by the loopback HTTP host.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
    target: 'chrome120',
    // Fonts stay files of our own origin: small Noto Sans SC subsets inlined as data: URLs were refused by
    // the CSP's font-src 'self' (two dozen console errors per load). Other small assets may inline.
    assetsInlineLimit: (file) => (/\.(woff2?|ttf|otf)$/.test(file) ? false : undefined),
  },
});
