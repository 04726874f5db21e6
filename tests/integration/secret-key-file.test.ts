import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { keyFileSecretBox } from '../../electron/core/secrets.ts';
import { tempDir } from '../support/temp.ts';

/**
 * The command line's key file is made on first use — by whichever `lanyard` process comes first. On a
 * fresh machine several start at once (the suite's CLI tests in a clean CI did): a `lanyard serve` that
 * lost the race to create it crashed with EEXIST, and its restore test then saw no running app. Threads
 * released together by one Atomics.notify, the module loaded beforehand, make the race tight.
 */
const RACERS = 6;
const ROUNDS = 25;
const racer = `
const { workerData, parentPort } = require('node:worker_threads');
import(workerData.module).then(({ keyFileSecretBox }) => {
  const go = new Int32Array(workerData.go);
  Atomics.add(go, 1, 1);
  Atomics.wait(go, 0, 0);
  try {
    parentPort.postMessage({ sealed: keyFileSecretBox(workerData.file).seal('the device token') });
  } catch (error) {
    parentPort.postMessage({ error: String(error) });
  }
});`;

async function race(file: string): Promise<Array<{ sealed?: string; error?: string }>> {
  const go = new Int32Array(new SharedArrayBuffer(8));
  const module = new URL('../../electron/core/secrets.ts', import.meta.url).href;
  const workers = Array.from(
    { length: RACERS },
    () => new Worker(racer, { eval: true, workerData: { go: go.buffer, file, module } }),
  );
  try {
    const answers = workers.map((w) => new Promise<{ sealed?: string; error?: string }>((r) => w.once('message', r)));
    while (Atomics.load(go, 1) < RACERS) await new Promise((resolve) => setTimeout(resolve, 5));
    Atomics.store(go, 0, 1);
    Atomics.notify(go, 0);
    return await Promise.all(answers);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

describe('the command line’s secret key file', () => {
  it('made by several processes at once: none fails, and all seal with the one key left on disk', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const file = path.join(tempDir('secret-key-race').dir, 'lanyard', 'secret.key');
      const answers = await race(file);
      expect(answers.filter((a) => a.error !== undefined).map((a) => a.error)).toEqual([]);
      const box = keyFileSecretBox(file);
      for (const a of answers) expect(box.open(a.sealed!)).toBe('the device token');
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(fs.readdirSync(path.dirname(file))).toEqual(['secret.key']); // no scratch file left behind
    }
  }, 120_000);
});
