import { parseArgs } from 'node:util';
import { startServer } from './start.ts';

/**
 * `npm run server -- [--port N] [--data DIR] [--admin-token T] [--host H]` starts the server;
 * `npm run server -- pair --url URL --admin-token T --event ID --name NAME [--hub] [--json]` makes a pairing
 * code (with --hub: a link code for a venue hub, server/relay/).
 */
const USAGE = `usage:
  npm run server -- [--port 8080] [--host 0.0.0.0] [--data DIR] [--admin-token T]
                    [--trust-proxy true|ADDRESSES] [--metrics-token T] [--pair-limit 20]
  npm run server -- pair --url URL --admin-token T --event ID --name NAME [--ttl SECONDS] [--hub] [--json]
                    (--hub: a code for a venue hub: lanyard hub link --server URL --code CODE)
environment: DATABASE_URL=postgres://… uses that PostgreSQL instead of the embedded store in DIR;
  LANYARD_TRUST_PROXY and LANYARD_METRICS_TOKEN stand for the flags. Without a metrics token /metrics
  answers only clients on this machine; X-Forwarded-* is ignored unless --trust-proxy names the proxy.`;

/** '' → off; 'true' → trust every hop; else the proxy's addresses/CIDRs, comma-separated. */
function parseTrustProxy(value: string): boolean | string {
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  return value;
}

async function serve(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string', default: '8080' },
      host: { type: 'string', default: '0.0.0.0' },
      data: { type: 'string', default: 'lanyard-server-data' },
      'admin-token': { type: 'string' },
      quiet: { type: 'boolean', default: false },
      'trust-proxy': { type: 'string' },
      'metrics-token': { type: 'string' },
      // Pairing attempts per client address and minute (a venue pairing many doors through one NAT).
      'pair-limit': { type: 'string' },
    },
  });
  const server = await startServer({
    port: Number(values.port),
    host: values.host,
    dataDir: values.data,
    adminToken: values['admin-token'] ?? null,
    databaseUrl: process.env.DATABASE_URL ?? '',
    logger: !values.quiet,
    now: Date.now,
    pgliteTemplate: null,
    trustProxy: parseTrustProxy(values['trust-proxy'] ?? process.env.LANYARD_TRUST_PROXY ?? ''),
    metricsToken: values['metrics-token'] ?? process.env.LANYARD_METRICS_TOKEN ?? null,
    ...(values['pair-limit'] === undefined ? {} : { pairLimitPerMinute: Number(values['pair-limit']) }),
  });
  process.stdout.write(`Lanyard server listening on ${server.url} (${server.sql.kind})\n`);
  if (server.generatedAdminToken !== '') {
    process.stdout.write(
      `Admin token (shown once; also saved owner-only in ${values.data}/admin-token):\n${server.generatedAdminToken}\n`,
    );
  }
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

async function pair(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      url: { type: 'string' },
      'admin-token': { type: 'string' },
      event: { type: 'string' },
      name: { type: 'string' },
      ttl: { type: 'string' },
      hub: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  if (!values.url || !values['admin-token'] || !values.event || !values.name) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const response = await fetch(
    `${values.url.replace(/\/$/, '')}/v1/admin/events/${encodeURIComponent(values.event)}/${values.hub ? 'hub-codes' : 'pairing-codes'}`,
    {
      method: 'POST',
      headers: { authorization: `Bearer ${values['admin-token']}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: values.name, ...(values.ttl ? { ttlSeconds: Number(values.ttl) } : {}) }),
    },
  );
  const body = (await response.json()) as {
    code?: string;
    expiresAt?: string;
    qr?: string;
    error?: { message: string };
  };
  if (!response.ok) {
    const message = body.error?.message ?? response.statusText;
    if (values.json) process.stdout.write(`${JSON.stringify({ error: body.error ?? { message } })}\n`);
    else process.stderr.write(`pairing code refused: ${message}\n`);
    return 1;
  }
  if (values.json)
    process.stdout.write(`${JSON.stringify({ code: body.code, expiresAt: body.expiresAt, qr: body.qr })}\n`);
  else
    process.stdout.write(
      `${values.hub ? 'Hub link code' : 'Pairing code'} for ${values.name}: ${body.code} (expires ${body.expiresAt})\nQR text: ${body.qr}\n`,
    );
  return 0;
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'pair') {
  process.exitCode = await pair(rest);
} else if (command === 'help' || command === '--help') {
  process.stdout.write(`${USAGE}\n`);
} else {
  await serve(command === undefined || command === 'serve' ? rest : process.argv.slice(2));
}
