import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { processAlive } from '../process-alive.ts';

/**
 * The hub's files, all in <data>/hub (owner-only, as the server keeps its data): PGlite's cluster, the
 * admin token, and `hub.json` — where the running hub listens, for `lanyard hub pair` in another process.
 */
export function hubDir(dataDir: string): string {
  return path.join(dataDir, 'hub');
}

/** The admin-token file the server writes (0600) beside its data: the hub keeps its token there. */
export function adminTokenFile(dataDir: string): string {
  return path.join(hubDir(dataDir), 'admin-token');
}

/** The hub's admin token as stored beside its data, or null before its first start. */
export function storedAdminToken(dataDir: string): string | null {
  try {
    const stored = fs.readFileSync(adminTokenFile(dataDir), 'utf8').trim();
    return stored.length >= 32 ? stored : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return null;
  }
}

/** The stored admin token, or a new one (the server stores it, owner-only, when it starts with it). */
export function hubAdminToken(dataDir: string): string {
  return storedAdminToken(dataDir) ?? `lya_${randomBytes(32).toString('base64url')}`;
}

export const RunningHubSchema = z.object({
  pid: z.number().int(),
  port: z.number().int(),
  localUrl: z.string(),
  lanUrl: z.string(),
  eventId: z.string(),
});
export type RunningHub = z.infer<typeof RunningHubSchema>;

const runningFile = (dataDir: string) => path.join(hubDir(dataDir), 'hub.json');

export function writeRunningHub(dataDir: string, hub: RunningHub): void {
  const file = runningFile(dataDir);
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(hub), { mode: 0o600 });
  fs.renameSync(`${file}.tmp`, file);
}

export function removeRunningHub(dataDir: string): void {
  fs.rmSync(runningFile(dataDir), { force: true });
}

/** The hub running on this data directory (in this process or another), or null. */
export function readRunningHub(dataDir: string): RunningHub | null {
  try {
    const hub = RunningHubSchema.parse(JSON.parse(fs.readFileSync(runningFile(dataDir), 'utf8')));
    // A hub.json left by a process that crashed names nobody.
    return processAlive(hub.pid) ? hub : null;
  } catch {
    return null;
  }
}
