/**
 * What encrypting the kiosk database would cost (R21; docs/encryption-at-rest.md): the same door work on
 * plain SQLite (better-sqlite3) and on SQLCipher-format SQLite (better-sqlite3-multiple-ciphers, the
 * same API, prebuilt binaries in its npm package), with the kiosk's pragmas, sampled interleaved in one
 * loop (one plain sample, one encrypted sample, …) so machine noise hits both alike.
 *   scan: an indexed guest lookup + a one-row event insert in one durable transaction;
 *   bulk: one transaction inserting the guests (an import's shape);
 *   cold reads: point lookups right after opening (pages decrypted as they are read).
 * `node tests/bench/encryption-bench.ts`, or part of `npm run bench`.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Plain from 'better-sqlite3';
import Cipher from 'better-sqlite3-multiple-ciphers';

type Db = Plain.Database;

export interface EncryptionBench {
  guests: number;
  bulkInsertMs: { plain: number; encrypted: number; ratio: number };
  scanMs: { plainP50: number; plainP99: number; encryptedP50: number; encryptedP99: number; p99Ratio: number };
  coldReadsMs: { plain: number; encrypted: number; ratio: number };
  fileBytes: { plain: number; encrypted: number };
}

const round = (n: number) => Math.round(n * 100) / 100;
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * (p / 100))]!;

function open(kind: 'plain' | 'encrypted', file: string, key: string): Db {
  const db = (kind === 'plain' ? new Plain(file) : new Cipher(file)) as unknown as Db;
  if (kind === 'encrypted') {
    db.pragma(`cipher = 'sqlcipher'`);
    db.pragma(`legacy = 4`);
    db.pragma(`key = "x'${key}'"`);
  }
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('cache_size = -65536');
  return db;
}

export function runEncryptionBench(guests = Number(process.env['BENCH_GUESTS'] ?? 250_000)): EncryptionBench {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lanyard-cipher-bench-'));
  const key = randomBytes(32).toString('hex');
  try {
    const files = { plain: path.join(work, 'plain.sqlite'), encrypted: path.join(work, 'encrypted.sqlite') };
    const bulk: Record<'plain' | 'encrypted', number> = { plain: 0, encrypted: 0 };
    const dbs = {} as Record<'plain' | 'encrypted', Db>;
    for (const kind of ['plain', 'encrypted'] as const) {
      const db = open(kind, files[kind], key);
      db.exec(`CREATE TABLE guests (id TEXT PRIMARY KEY, name TEXT, organization TEXT, email TEXT) STRICT;
        CREATE TABLE codes (code TEXT PRIMARY KEY, guest_id TEXT NOT NULL) STRICT;
        CREATE TABLE events (id INTEGER PRIMARY KEY, guest_id TEXT NOT NULL, wall_ms INTEGER NOT NULL) STRICT;`);
      const guest = db.prepare(`INSERT INTO guests VALUES (?, ?, ?, ?)`);
      const code = db.prepare(`INSERT INTO codes VALUES (?, ?)`);
      const t0 = performance.now();
      db.transaction(() => {
        for (let i = 0; i < guests; i++) {
          guest.run(`g${i}`, `Guest Name ${i}`, `Organisation ${i % 700}`, `guest.${i}@example.org`);
          code.run(String(100_000_000_000 + i * 7), `g${i}`);
        }
      })();
      bulk[kind] = performance.now() - t0;
      dbs[kind] = db;
    }
    const scanSamples = { plain: [] as number[], encrypted: [] as number[] };
    const statements = {
      plain: prepareScan(dbs.plain),
      encrypted: prepareScan(dbs.encrypted),
    };
    for (let i = 0; i < 4000; i++) {
      const code = String(100_000_000_000 + ((i * 7919) % guests) * 7);
      for (const kind of ['plain', 'encrypted'] as const) {
        const t = performance.now();
        statements[kind](code);
        scanSamples[kind].push(performance.now() - t);
      }
    }
    for (const db of Object.values(dbs)) db.close();
    const cold: Record<'plain' | 'encrypted', number> = { plain: 0, encrypted: 0 };
    for (const kind of ['plain', 'encrypted'] as const) {
      const db = open(kind, files[kind], key);
      const get = db.prepare(`SELECT * FROM guests WHERE id = ?`);
      const t = performance.now();
      for (let i = 0; i < 50_000; i++) get.get(`g${(i * 104_729) % guests}`);
      cold[kind] = performance.now() - t;
      db.close();
    }
    const p99 = { plain: percentile(scanSamples.plain, 99), encrypted: percentile(scanSamples.encrypted, 99) };
    return {
      guests,
      bulkInsertMs: {
        plain: round(bulk.plain),
        encrypted: round(bulk.encrypted),
        ratio: round(bulk.encrypted / bulk.plain),
      },
      scanMs: {
        plainP50: round(percentile(scanSamples.plain, 50)),
        plainP99: round(p99.plain),
        encryptedP50: round(percentile(scanSamples.encrypted, 50)),
        encryptedP99: round(p99.encrypted),
        p99Ratio: round(p99.encrypted / p99.plain),
      },
      coldReadsMs: {
        plain: round(cold.plain),
        encrypted: round(cold.encrypted),
        ratio: round(cold.encrypted / cold.plain),
      },
      fileBytes: { plain: fs.statSync(files.plain).size, encrypted: fs.statSync(files.encrypted).size },
    };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function prepareScan(db: Db): (code: string) => void {
  const find = db.prepare(`SELECT g.* FROM codes c JOIN guests g ON g.id = c.guest_id WHERE c.code = ?`);
  const insert = db.prepare(`INSERT INTO events (guest_id, wall_ms) VALUES (?, ?)`);
  return db.transaction((code: string) => {
    const guest = find.get(code) as { id: string } | undefined;
    if (guest !== undefined) insert.run(guest.id, Date.now());
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(runEncryptionBench(), null, 2));
}
