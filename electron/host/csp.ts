/**
 * One Content-Security-Policy for both hosts (the Electron custom protocol and the loopback server):
 * only our own files; no inline script, no eval, no remote anything. `wasm-unsafe-eval` is needed by the
 * webcam decoder (zxing-wasm); `media-src`/`blob:` for the camera preview.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: mediastream:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');
