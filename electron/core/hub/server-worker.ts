import { parentPort, workerData } from 'node:worker_threads';
import { startServer, type RunningServer } from '../../../server/start.ts';

/**
 * The venue hub's server, in a worker thread of the kiosk (see server-thread.ts): PGlite runs its
 * queries on the thread that calls it, and a door pulling thousands of facts would otherwise hold the
 * kiosk's own scans for hundreds of milliseconds. Here they run beside the door, never in front of it.
 */
export interface HubWorkerData {
  port: number;
  host: string;
  dataDir: string;
  adminToken: string;
  /** A migrated PGlite cluster (tests) as bytes; null: initdb on a first start. */
  template: Uint8Array | null;
}

export type HubWorkerReply =
  | { kind: 'started'; url: string; port: number }
  | { kind: 'failed'; code: string; message: string }
  | { kind: 'stopped' };

export type HubWorkerMessage = { kind: 'stop' };

async function run(port: NonNullable<typeof parentPort>, data: HubWorkerData): Promise<void> {
  let server: RunningServer;
  try {
    server = await startServer({
      port: data.port,
      host: data.host,
      dataDir: data.dataDir,
      adminToken: data.adminToken,
      databaseUrl: '',
      logger: false,
      now: Date.now,
      pgliteTemplate: data.template === null ? null : new Blob([data.template]),
      relay: true, // to the central server while linked (`lanyard hub link`, server/relay/), in this thread too
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    port.postMessage({ kind: 'failed', code, message: (error as Error).message } satisfies HubWorkerReply);
    port.close();
    return;
  }
  port.on('message', (message: HubWorkerMessage) => {
    if (message.kind !== 'stop') return;
    void server.close().finally(() => {
      port.postMessage({ kind: 'stopped' } satisfies HubWorkerReply);
      port.close();
    });
  });
  port.postMessage({ kind: 'started', url: server.url, port: server.port } satisfies HubWorkerReply);
}

// The hub's settings come as the first message, not as workerData: the server's export worker
// (server/export-worker.ts), loaded with the server, takes any thread with workerData for one of its jobs.
if (parentPort !== null && workerData === null) {
  const port = parentPort;
  port.once('message', (data: HubWorkerData) => void run(port, data));
}
