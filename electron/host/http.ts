import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fail, LanyardFailure, type Result } from '../../shared/result.ts';
import { CONTENT_SECURITY_POLICY } from './csp.ts';

/**
 * The loopback HTTP host: serves the built renderer and binds the same contract as IPC, as
 * `POST /api/<method>` with a JSON body and a Result as the answer. Bound to 127.0.0.1 only.
 *
 * A web page from elsewhere can still make the browser talk to 127.0.0.1, so: the Host header must be
 * our own address (defeats DNS rebinding), an Origin, if sent, must be ours, and calls must be
 * `application/json` (a cross-site form cannot send that without a CORS preflight, which we never grant).
 *
 * Another user of the same laptop can reach 127.0.0.1 too, so every call also needs this launch's secret
 * (32 random bytes, new each start): the address the host prints is `http://127.0.0.1:PORT/k/SECRET`.
 * Opening it sets the secret as an `HttpOnly; SameSite=Strict` cookie and redirects to `/`, so the secret
 * leaves the address bar; scripts may instead call `/k/SECRET/api/<method>`.
 */
export interface HttpHostOptions {
  dispatch: (method: string, input: unknown, options?: { idempotencyKey?: string }) => Result<unknown>;
  staticDir: string;
  port: number;
}

export interface HttpHost {
  /** The address to open or call, secret included: `http://127.0.0.1:PORT/k/SECRET`. */
  url: string;
  /** The address without the secret (what the browser shows after the redirect). */
  origin: string;
  close(): Promise<void>;
}

// Roster files arrive base64-encoded in the body (the core refuses files over 32 MB with a clear error;
// the transport lets a little more through so that it is the core that explains).
const MAX_BODY_BYTES = 64 * 1024 * 1024;
const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

function send(res: http.ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  });
  res.end(body);
}

function sendResult(res: http.ServerResponse, result: Result<unknown>): void {
  send(res, 200, 'application/json; charset=utf-8', JSON.stringify(result));
}

/** A body over MAX_BODY_BYTES: read to its end and dropped, so that the caller gets an answer. */
const TOO_LARGE = Symbol('too large');
/** A body that goes on past this is cut off: nobody sends a real file that long (a hostile or broken client). */
const DRAIN_LIMIT_BYTES = 4 * MAX_BODY_BYTES;

/**
 * The request's body, or TOO_LARGE. A body over the limit is still read to its end (and dropped): a socket
 * destroyed mid-upload reaches the browser as a network error, which the client takes for a lost answer and
 * sends again — three uploads of the same big file, then "the kiosk core is not answering". Past
 * DRAIN_LIMIT_BYTES the socket is destroyed after all.
 */
function readBody(req: http.IncomingMessage): Promise<string | typeof TOO_LARGE> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > DRAIN_LIMIT_BYTES) {
        reject(new Error(`request body over ${DRAIN_LIMIT_BYTES} bytes`));
        req.destroy();
      } else if (size > MAX_BODY_BYTES) chunks.length = 0;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? TOO_LARGE : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function serveStatic(staticDir: string, urlPath: string, res: http.ServerResponse): void {
  const root = path.resolve(staticDir);
  const relative = decodeURIComponent(urlPath.split('?')[0]!).replace(/^\/+/, '');
  let file = path.resolve(root, relative.length === 0 ? 'index.html' : relative);
  if (file !== root && !file.startsWith(root + path.sep)) {
    send(res, 403, 'text/plain', 'forbidden');
    return;
  }
  // Single-page app: unknown paths without an extension get index.html.
  if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) {
    if (path.extname(file) !== '') {
      send(res, 404, 'text/plain', 'not found');
      return;
    }
    file = path.join(root, 'index.html');
  }
  if (!fs.existsSync(file)) {
    send(res, 500, 'text/plain', `the renderer is not built: run "npm run build" (looked in ${root})`);
    return;
  }
  send(res, 200, MIME[path.extname(file)] ?? 'application/octet-stream', fs.readFileSync(file));
}

function sameSecret(given: string, secret: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieValue(req: http.IncomingMessage, name: string): string {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return '';
}

const LOCKED_PAGE = `<!doctype html><meta charset="utf-8"><title>Lanyard</title>
<p>Open the address <code>lanyard serve</code> printed (it ends in <code>/k/…</code>): this kiosk answers only
the person who started it. · 请打开 <code>lanyard serve</code> 输出的完整地址（以 <code>/k/…</code> 结尾）。 ·
Öffnen Sie die vollständige Adresse, die <code>lanyard serve</code> ausgegeben hat (endet auf <code>/k/…</code>).</p>`;

export async function startHttpHost(options: HttpHostOptions): Promise<HttpHost> {
  // Without the built screens every page would answer "not found": say how to build them instead.
  if (!fs.existsSync(path.join(options.staticDir, 'index.html'))) {
    throw new LanyardFailure(
      'renderer_missing',
      `the kiosk's screens are not built (${options.staticDir}): run \`npm run build:renderer\`, ` +
        'or `npm run web`, which builds them and serves the kiosk',
    );
  }
  let allowedHosts = new Set<string>();
  const secret = randomBytes(32).toString('base64url');
  let cookieName = 'lanyard';
  const server = http.createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendResult(res, fail('internal', (error as Error).message));
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!allowedHosts.has(req.headers.host ?? '')) {
      send(res, 421, 'text/plain', 'misdirected request');
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedHosts.has(origin.replace(/^http:\/\//, ''))) {
      send(res, 403, 'text/plain', 'cross-origin calls are not allowed');
      return;
    }
    let url = req.url ?? '/';
    // Cookies are not kept per port, so each host's cookie carries its port in its name.
    let authenticated = sameSecret(cookieValue(req, cookieName), secret);
    const keyed = /^\/k\/([A-Za-z0-9_-]+)(\/.*)?$/.exec(url.split('?')[0]!);
    if (keyed !== null) {
      if (!sameSecret(keyed[1]!, secret)) {
        send(res, 401, 'text/plain', 'wrong or old kiosk address: open the one `lanyard serve` printed this time');
        return;
      }
      authenticated = true;
      if (keyed[2] === undefined || keyed[2] === '/') {
        res.writeHead(303, {
          Location: '/',
          'Set-Cookie': `${cookieName}=${secret}; HttpOnly; SameSite=Strict; Path=/`,
          'Cache-Control': 'no-store',
          'Referrer-Policy': 'no-referrer',
        });
        res.end();
        return;
      }
      url = keyed[2];
    }
    if (url.startsWith('/api/')) {
      if (!authenticated) {
        send(res, 401, 'text/plain', 'this kiosk answers only the address it printed at start (/k/…)');
        return;
      }
      if (req.method !== 'POST') {
        send(res, 405, 'text/plain', 'POST only');
        return;
      }
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
        send(res, 415, 'text/plain', 'application/json only');
        return;
      }
      let input: unknown;
      try {
        const body = await readBody(req);
        if (body === TOO_LARGE) {
          sendResult(
            res,
            fail('request_too_large', `request body over ${MAX_BODY_BYTES / 1024 / 1024} MB: it was read and dropped`),
          );
          return;
        }
        input = body.length === 0 ? {} : JSON.parse(body);
      } catch (error) {
        sendResult(res, fail('invalid_input', `request body is not JSON: ${(error as Error).message}`));
        return;
      }
      const idempotencyKey = req.headers['idempotency-key'];
      sendResult(
        res,
        options.dispatch(
          decodeURIComponent(url.slice('/api/'.length)),
          input,
          typeof idempotencyKey === 'string' ? { idempotencyKey } : {},
        ),
      );
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'text/plain', 'method not allowed');
      return;
    }
    // The app's page needs the secret; its scripts, styles and fonts are public files of the package.
    const pathname = url.split('?')[0]!;
    if (!authenticated && path.extname(pathname) === '') {
      send(res, 401, 'text/html; charset=utf-8', LOCKED_PAGE);
      return;
    }
    serveStatic(options.staticDir, url, res);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  cookieName = `lanyard_${port}`;
  return {
    url: `http://127.0.0.1:${port}/k/${secret}`,
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
