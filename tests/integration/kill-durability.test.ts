import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import readline from 'node:readline';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp.ts';

/**
 * R1/R3: no acknowledged write is lost when the kiosk process is killed (SIGKILL) mid-burst. A real
 * `lanyard serve` takes walk-ins over its loopback API as fast as it answers; at a random moment its
 * process group is killed; then the database must hold every walk-in that was answered `ok`, pass
 * `integrity_check`, and have a gapless device sequence. 20 kills here; LANYARD_KILL_ITERATIONS=500 for
 * the long run.
 */
const CLI = path.resolve(import.meta.dirname, '../../electron/cli/lanyard.ts');
const ITERATIONS = Number(process.env['LANYARD_KILL_ITERATIONS'] ?? 20);

function startServe(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--data', dataDir, '--json'], {
    detached: true, // its own process group, killed whole
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    // Its first line is where it listens, or why it could not start (then this fails at once: awaiting the
    // first acknowledged walk-in of a server that never started hung the test for its whole timeout).
    lines.once('line', (line) => {
      const { url } = JSON.parse(line) as { url?: string };
      if (url === undefined) reject(new Error(`lanyard serve did not start: ${line}`));
      else resolve({ child, url });
    });
    child.once('exit', (code) => reject(new Error(`lanyard serve exited (${code}) before it listened`)));
  });
}

function killGroup(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    process.kill(-child.pid!, 'SIGKILL');
  });
}

describe('R1/R3: durability under kill -9', () => {
  it(`loses no acknowledged walk-in over ${ITERATIONS} kills`, async () => {
    const dataDir = tempDir('kill').dir;
    expect(spawnSync(process.execPath, [CLI, 'init', '--demo', '--data', dataDir, '--json']).status).toBe(0);
    const acked: string[] = [];
    let attempted = 0;
    for (let round = 0; round < ITERATIONS; round++) {
      const { child, url } = await startServe(dataDir);
      let stop = false;
      let firstAck: () => void = () => {};
      const acknowledged = new Promise<void>((resolve) => (firstAck = resolve));
      const burst = (async () => {
        for (let n = 0; !stop; n++) {
          const name = `Kill ${round}-${n}`;
          attempted++;
          try {
            const response = await fetch(`${url}/api/guests.walkIn`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
              body: JSON.stringify({ name, organization: 'Durability', email: '', role: 'guest' }),
            });
            const result = (await response.json()) as { ok: boolean; error?: { code: string } };
            if (result.ok) {
              acked.push(name);
              firstAck();
            } else throw new Error(`walk-in refused: ${result.error?.code}`);
          } catch (error) {
            if (!stop) throw error;
            return; // cut by the kill: unknown outcome, not acknowledged
          }
        }
      })();
      // Kill at a random moment once the burst is flowing (mid-transaction, mid-answer, between calls).
      await acknowledged;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 600));
      stop = true;
      await killGroup(child);
      await burst;

      const db = new BetterSqlite3(path.join(dataDir, 'lanyard.sqlite'));
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        const stored = new Set(
          db.prepare(`SELECT display_name FROM guests WHERE organization = 'Durability'`).pluck().all() as string[],
        );
        const lost = acked.filter((name) => !stored.has(name));
        expect(lost, `round ${round}: acknowledged walk-ins lost`).toEqual([]);
        const seqs = db.prepare(`SELECT device_seq FROM facts ORDER BY device_seq`).pluck().all() as number[];
        expect(
          seqs.every((s, i) => s === i + 1),
          'device_seq gapless',
        ).toBe(true);
      } finally {
        db.close();
      }
    }
    expect(acked.length).toBeGreaterThan(ITERATIONS); // the bursts did write
    process.stdout.write(
      `kill -9 durability: ${ITERATIONS} kills, ${acked.length} acknowledged of ${attempted} sent, 0 lost\n`,
    );
  }, 600_000);
});
