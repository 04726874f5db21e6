import { Worker } from 'node:worker_threads';
import { LanyardFailure, type ErrorCode } from '../../../shared/result.ts';
import type { HubWorkerData, HubWorkerMessage, HubWorkerReply } from './server-worker.ts';

/** The hub's server as the kiosk sees it: where it answers, and how to stop it. */
export interface HubServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Beside this file in development; from main.cjs in the Electron bundle (vite.electron.config.ts says where). */
function hubWorkerScript(): URL {
  const here = import.meta.url;
  return new URL(here.endsWith('.ts') ? './server-worker.ts' : './server/routes/hub-worker.cjs', here);
}

/** What a failed listen means for the supervisor: the port taken, an address not this laptop's, or other. */
function failure(code: string, message: string): LanyardFailure {
  const mapped: ErrorCode =
    code === 'EADDRINUSE' ? 'hub_port_in_use' : code === 'EADDRNOTAVAIL' ? 'hub_address_unknown' : 'hub_start_failed';
  return new LanyardFailure(mapped, message);
}

/**
 * Starts server/start.ts's server in a worker thread (server-worker.ts) and resolves once it listens. The
 * server is the very one the central server runs; only its thread is the kiosk's.
 */
export function startHubServer(data: HubWorkerData): Promise<HubServer> {
  // workerData null, said so: undefined (the default) would count as an export job there.
  const worker = new Worker(hubWorkerScript(), { workerData: null });
  worker.postMessage(data, data.template === null ? [] : [data.template.buffer as ArrayBuffer]);
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    worker.once('error', (error) => reject(failure('', error.message)));
    void exited.then(() => reject(failure('', 'the hub server thread stopped before it listened')));
    worker.once('message', (reply: HubWorkerReply) => {
      if (reply.kind === 'failed') {
        reject(failure(reply.code, reply.message));
        return;
      }
      if (reply.kind !== 'started') return;
      resolve({
        url: reply.url,
        port: reply.port,
        close: async () => {
          worker.postMessage({ kind: 'stop' } satisfies HubWorkerMessage);
          await exited;
        },
      });
    });
  });
}
