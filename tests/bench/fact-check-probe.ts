/**
 * The server's per-fact CPU on a push, piece by piece (`node tests/bench/fact-check-probe.ts`): parsing the
 * body, checking each fact (checkFact, and checkFactQuickly as the push route does), its canonical JSON and its
 * hash, on the sync bench's forum-door facts. Microseconds per fact, median of `--rounds` (default 7), with the load average.
 */
import { hash } from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { canonicalJson } from '../../shared/sync/canonical.ts';
import { checkFactQuickly } from '../../shared/sync/fact-quick-check.ts';
import { checkFact, type Fact } from '../../shared/sync/fact-schema.ts';
import { SYNC_PROTOCOL_VERSION } from '../../shared/sync/protocol.ts';
import { syntheticEvents } from './sync-ingest.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '7' } } });
const BATCH = 200;
const BATCHES = 100;
const bodies = Array.from({ length: BATCHES }, (_, b) =>
  JSON.stringify({
    protocol: SYNC_PROTOCOL_VERSION,
    facts: syntheticEvents(`bench_${b % 20}`, ['g_1', 'g_2', 'g_3'], ['f_1', 'f_2'], BATCH),
  }),
);
const now = Date.now();
const timings: Record<string, number[]> = { parse: [], checkFact: [], check: [], canonical: [], hash: [] };
for (let r = 0; r < Number(values.rounds); r++) {
  let t = performance.now();
  const parsed = bodies.map((b) => JSON.parse(b) as { facts: unknown[] });
  timings['parse']!.push(performance.now() - t);
  t = performance.now();
  parsed.map((p) => p.facts.map((f) => checkFact(f, now)));
  timings['checkFact']!.push(performance.now() - t);
  // What the push route runs: the quick check, the schema when it is not sure.
  t = performance.now();
  const checked = parsed.map((p) => p.facts.map((f) => checkFactQuickly(f, now) ?? checkFact(f, now)));
  timings['check']!.push(performance.now() - t);
  const facts = checked.flat().map((c) => (c.ok ? c.fact : (null as unknown as Fact)));
  t = performance.now();
  const texts = facts.map((f) => canonicalJson(f));
  timings['canonical']!.push(performance.now() - t);
  t = performance.now();
  for (const text of texts) hash('sha256', text, 'hex');
  timings['hash']!.push(performance.now() - t);
}
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const perFact = Object.fromEntries(
  Object.entries(timings).map(([k, v]) => [k, Math.round((median(v) * 1000 * 100) / (BATCH * BATCHES)) / 100]),
);
console.log(JSON.stringify({ microsecondsPerFact: perFact, load: os.loadavg()[0] }));
