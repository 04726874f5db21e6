import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The door's process keeps V8's young generation small (electron/core/gc-pauses.ts), so a scavenge never
 * holds a scan for long. Each case runs in a Node process of its own (the setting is the process's), which
 * allocates what an import's checking does: many small records that all survive. The young generation's
 * size afterwards is what decides how long one scavenge can take.
 */
const KIOSK = path.resolve(import.meta.dirname, '../../electron/core/kiosk.ts');
const SECRETS = path.resolve(import.meta.dirname, '../support/secrets.ts');

function youngGenerationMbAfterSurvivors(openKioskFirst: boolean): { newSpaceMb: number; longestScavengeMs: number } {
  const script = `
    import os from 'node:os';
    import path from 'node:path';
    import fs from 'node:fs';
    import v8 from 'node:v8';
    const gcs = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) if (e.detail.kind === 1) gcs.push(e.duration); }).observe({ entryTypes: ['gc'] });
    let kiosk = null;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lanyard-gc-'));
    if (${openKioskFirst}) {
      const { createKiosk } = await import(${JSON.stringify(KIOSK)});
      const { testSecrets } = await import(${JSON.stringify(SECRETS)});
      kiosk = createKiosk({ dataDir: dir, now: Date.now, secrets: testSecrets });
    }
    const kept = [];
    for (let i = 0; i < 400000; i++) kept.push({ row: i, name: 'Guest ' + i, email: 'g' + i + '@example.org', codes: ['C' + i] });
    await new Promise((r) => setTimeout(r, 20));
    const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    kiosk?.close();
    fs.rmSync(dir, { recursive: true, force: true });
    console.log(JSON.stringify({ newSpaceMb: space.space_size / 1048576, longestScavengeMs: Math.max(...gcs), kept: kept.length }));
  `;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { newSpaceMb: number; longestScavengeMs: number };
}

describe('the door’s garbage collection', () => {
  it('keeps the young generation at its starting size once a kiosk is open, where V8 alone grows it', () => {
    const alone = youngGenerationMbAfterSurvivors(false);
    const kiosk = youngGenerationMbAfterSurvivors(true);
    // The premise: without the setting, surviving records grow the space (to 32–128 MiB here).
    expect(alone.newSpaceMb).toBeGreaterThanOrEqual(16);
    expect(kiosk.newSpaceMb).toBeLessThanOrEqual(4);
  }, 60_000);
});
