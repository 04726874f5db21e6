/**
 * Badge codes at the door: digits per code in each scheme, and first key → verified for a printed badge at
 * 5 and 10 ms per key (a keyboard-wedge scanner's range): the keystrokes (digits + Enter) plus the core's
 * `guests.scan` (normalisation, lookup, verification, the check-in write), measured here.
 *
 *   node tests/bench/code-bench.ts            (BENCH_CODE_GUESTS=20000 by default)
 */
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import { createDispatcher } from '../../electron/core/dispatch.ts';
import { generateRoster } from '../../electron/core/demo/generate.ts';
import { GuestStore } from '../../electron/core/guests/store.ts';
import { createKiosk, type Kiosk } from '../../electron/core/kiosk.ts';
import { wedgeMs } from '../../shared/codes/short.ts';
import type { Result } from '../../shared/result.ts';
import { testSecrets } from '../support/secrets.ts';

const GUESTS = Number(process.env['BENCH_CODE_GUESTS'] ?? 20_000);
const SCANS = 300;

const value = <T>(r: Result<unknown>): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
};
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.ceil((p / 100) * xs.length) - 1]!;
const round = (n: number) => Math.round(n * 100) / 100;

export async function runCodeBench(guests = GUESTS): Promise<unknown> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lanyard-code-bench-'));
  const kiosks: Kiosk[] = [];
  try {
    const open = (name: string) => {
      const kiosk = createKiosk({ dataDir: path.join(work, name), now: Date.now, secrets: testSecrets });
      kiosks.push(kiosk);
      const call = createDispatcher(kiosk.handlers);
      value(call('event.loadDemo', {}));
      return { kiosk, call };
    };
    const organiser = open('organiser');
    const door = open('door');
    // A bigger roster on both (the same guests, as a package would give), then the door gets the event's secret.
    const extra = generateRoster(guests, 777).map((g) => ({
      ...g,
      id: `b${g.id}`,
      codes: g.codes.map((c) => `9${c}`),
    }));
    for (const k of [organiser, door]) k.kiosk.db!.transaction(() => new GuestStore(k.kiosk.db!).insertMany(extra))();
    door.kiosk.codes!.short!.installSecrets(organiser.kiosk.codes!.short!.exportSecrets());
    const ids = door.kiosk
      .db!.prepare(`SELECT id FROM guests WHERE status = 'active' ORDER BY rowid`)
      .pluck()
      .all() as string[];

    const scanTimes = (codes: string[]) =>
      codes.map((code) => {
        const t = performance.now();
        const r = value<{ status: string }>(door.call('guests.scan', { code }));
        const ms = performance.now() - t;
        if (r.status !== 'checked_in') throw new Error(`${code}: ${r.status}`);
        return ms;
      });
    const pick = (from: number) => ids.slice(from, from + SCANS);

    // Roster badges are found through an index of the roster's codes, built in slices between scans after
    // the roster arrives (the kiosk's indexer); here all at once, to time it.
    const indexStart = performance.now();
    const indexed = door.kiosk.codes!.short!.indexSome(Number.MAX_SAFE_INTEGER);
    const indexMs = performance.now() - indexStart;

    const schemes: Array<{ scheme: string; codes: string[] }> = [];
    schemes.push({
      scheme: 'format 2 roster badge (listed guest)',
      codes: pick(1).map(
        (id) => value<{ code: string }>(organiser.call('codes.issue', { guestId: id, deviceKey: false })).code,
      ),
    });
    schemes.push({
      scheme: 'format 2 walk-in badge of another kiosk, before sync',
      codes: Array.from(
        { length: SCANS },
        (_, i) =>
          value<{ code: string }>(
            organiser.call('guests.walkIn', { name: `Walk-in ${i}`, organization: '', email: '', role: 'guest' }),
          ).code,
      ),
    });
    const codeOf = door.kiosk.db!.prepare(`SELECT code FROM guest_codes WHERE guest_id = ?`).pluck();
    schemes.push({
      scheme: 'imported code (a 12–13-digit ticket number)',
      codes: pick(1 + SCANS).map((id) => codeOf.get(id) as string),
    });
    value(organiser.call('codes.setPolicy', { carryDetails: true }));
    door.kiosk.handlers['keys.trust'](
      (() => {
        const k = value<{ keys: Array<{ keyId: number; kind: string; publicKey: string }> }>(
          organiser.call('keys.list', {}),
        ).keys.find((x) => x.kind === 'event')!;
        return { keyId: k.keyId, publicKey: k.publicKey };
      })(),
    );
    schemes.push({
      scheme: 'format 1 signed, with name and organisation (event option)',
      codes: pick(1 + 2 * SCANS).map(
        (id) => value<{ code: string }>(organiser.call('codes.issue', { guestId: id, deviceKey: false })).code,
      ),
    });

    const rows = schemes.map(({ scheme, codes }) => {
      const lengths = codes.map((c) => c.length);
      const samples = scanTimes(codes);
      const digits = Math.max(...lengths);
      const core = { p50: round(percentile(samples, 50)), p99: round(percentile(samples, 99)) };
      return {
        scheme,
        digits: Math.min(...lengths) === digits ? digits : `${Math.min(...lengths)}–${digits}`,
        coreScanMs: core,
        firstKeyToVerifiedMs: {
          at5msPerKey: round(wedgeMs(digits, 5) + core.p99),
          at10msPerKey: round(wedgeMs(digits, 10) + core.p99),
        },
      };
    });
    return {
      guests: ids.length,
      scansPerScheme: SCANS,
      rosterIndex: { guests: indexed, ms: round(indexMs), usPerGuest: round((indexMs / Math.max(1, indexed)) * 1000) },
      schemes: rows,
    };
  } finally {
    for (const k of kiosks) k.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.filename === process.argv[1]) {
  console.log(JSON.stringify(await runCodeBench(), null, 2));
}
