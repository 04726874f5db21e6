/**
 * `node tests/bench/search-bench.ts`: the search part of the bench alone (bench.ts measures it among much
 * else): a kiosk with BENCH_GUESTS (250,000) demo guests, its load time, the search index's size, and
 * search p50/p99 over the bench's queries (search-queries.ts), and the slowest queries.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDispatcher } from '../../electron/core/dispatch.ts';
import { demoEvent, generateRoster } from '../../electron/core/demo/generate.ts';
import { writeEvent } from '../../electron/core/event/store.ts';
import { GuestStore } from '../../electron/core/guests/store.ts';
import { createKiosk } from '../../electron/core/kiosk.ts';
import { testSecrets } from '../support/secrets.ts';
import { SEARCH_QUERIES } from './search-queries.ts';

const GUESTS = Number(process.env['BENCH_GUESTS'] ?? 250_000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 20);

const percentile = (samples: number[], p: number): number => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const round = (ms: number) => Math.round(ms * 1000) / 1000;

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lanyard-search-bench-'));
try {
  const roster = generateRoster(GUESTS, 7);
  const kiosk = createKiosk({ dataDir: path.join(work, 'kiosk'), now: Date.now, secrets: testSecrets });
  const db = kiosk.db!;
  const t0 = performance.now();
  db.transaction(() => {
    writeEvent(db, demoEvent);
    new GuestStore(db).insertMany(roster);
  })();
  const loadMs = performance.now() - t0;
  const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  const hasTypoKeys = db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'typo_keys'`).get() !== undefined;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pages = db.pragma('page_count', { simple: true }) as number;
  const dispatch = createDispatcher(kiosk.handlers);
  const samples = new Map<string, number[]>(SEARCH_QUERIES.map((q) => [q, []]));
  for (const q of SEARCH_QUERIES) dispatch('guests.search', { query: q, limit: 12 }); // warm-up
  for (let r = 0; r < ROUNDS; r++) {
    for (const q of SEARCH_QUERIES) {
      const t = performance.now();
      const result = dispatch('guests.search', { query: q, limit: 12 });
      samples.get(q)!.push(performance.now() - t);
      if (!result.ok) throw new Error(result.error.message);
    }
  }
  const all = [...samples.values()].flat();
  const slowest = [...samples]
    .map(([q, s]) => ({ q, p99: round(percentile(s, 99)) }))
    .sort((a, b) => b.p99 - a.p99)
    .slice(0, 5);
  console.log(
    JSON.stringify(
      {
        guests: GUESTS,
        loadSeconds: round(loadMs / 1000),
        databaseMiB: round((pages * pageSize) / 2 ** 20),
        rows: {
          term_keys: count('term_keys'),
          search_keys: count('search_keys'),
          typo_keys: hasTypoKeys ? count('typo_keys') : 0,
        },
        search: { p50: round(percentile(all, 50)), p99: round(percentile(all, 99)), samples: all.length },
        slowest,
        loadAverage: os.loadavg().map((l) => Math.round(l * 10) / 10),
      },
      null,
      2,
    ),
  );
  kiosk.close();
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
