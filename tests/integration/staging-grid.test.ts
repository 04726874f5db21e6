import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { GUEST_COLUMNS } from '../../electron/core/guests/row.ts';
import { stagedParts } from '../../electron/core/guests/staging-order.ts';
import { tempDir } from '../support/temp.ts';

/**
 * A staged table with two indexes in the kiosk (codes: by code and by guest) is written as a grid of key
 * ranges × guest ranges, each block sorted by key (guests/staging-order.ts sortedSelect), so that a chunk
 * of the copy lands in a narrow slice of both B-trees. Its key ranges come from a sorted sample of the
 * rows: uneven ranges only make uneven blocks; ranges that are not ranges would scatter every chunk.
 */
const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

function codesPart(codes: readonly string[]): { part: string[]; guests: string[] } {
  const dir = tempDir('staging-grid');
  cleanups.push(() => dir.cleanup());
  const db = new Database(path.join(dir.dir, 'lanyard-import-1-ab.db'));
  cleanups.push(() => db.close());
  db.exec(`CREATE TABLE codes (code TEXT NOT NULL, guest_n INTEGER NOT NULL) STRICT;
    CREATE TEMP TABLE neworder (n INTEGER PRIMARY KEY, src INTEGER NOT NULL);`);
  const insert = db.prepare(`INSERT INTO codes (code, guest_n) VALUES (?, ?)`);
  const order = db.prepare(`INSERT INTO temp.neworder (n, src) VALUES (?, ?)`);
  db.transaction(() => {
    codes.forEach((code, i) => {
      insert.run(code, i + 1);
      order.run(i, i + 1); // the guests keep their staged order
    });
  })();
  const sql = stagedParts('g_t_', GUEST_COLUMNS).find((p) => p.name === 'codes')!.sql;
  const file = path.join(dir.dir, 'part.db');
  fs.rmSync(file, { force: true });
  db.prepare(`ATTACH ? AS part`).run(file);
  db.exec(sql);
  const rows = db.prepare(`SELECT code, guest_id FROM part.codes ORDER BY rowid`).all() as Array<{
    code: string;
    guest_id: string;
  }>;
  return { part: rows.map((r) => r.code), guests: rows.map((r) => r.guest_id) };
}

/** A random 12-digit code per guest, as a badge system makes them. */
const randomCodes = (n: number, seed: number): string[] => {
  let x = seed;
  return Array.from({ length: n }, (_, i) => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return `${String(x).padStart(10, '0')}${String(i % 100).padStart(2, '0')}`;
  });
};

describe("the codes' part of a big import", () => {
  it.each([
    ['random codes', randomCodes(40_000, 7)],
    ['codes already sorted', randomCodes(40_000, 11).sort()],
    ['one prefix, numbered', Array.from({ length: 40_000 }, (_, i) => `EVT-2026-${String(i).padStart(6, '0')}`)],
  ])('holds every staged code once, each chunk of the copy in a narrow range of both indexes (%s)', (_, codes) => {
    const { part, guests } = codesPart(codes);
    expect([...part].sort()).toEqual([...codes].sort());
    expect(new Set(guests).size).toBe(codes.length);
    // What the copy writes per chunk of 256 rows: the pages of each index it touches (64 entries a page
    // here). In a grid of side × side blocks a chunk's codes and guests each fall in ~1/side of their
    // index. In file order, or sorted by code alone, a chunk's guests (and in file order its codes too)
    // are spread over the whole index: a page per row.
    const rank = new Map([...codes].sort().map((code, i) => [code, i]));
    const staged = new Map(codes.map((code, i) => [code, i]));
    const side = Math.floor(Math.sqrt(codes.length / 256));
    const pagesPerRange = Math.ceil(codes.length / side / 64);
    const pages = (ranks: number[]) => new Set(ranks.map((r) => r >> 6)).size;
    let codePages = 0;
    let guestPages = 0;
    let chunks = 0;
    for (let at = 0; at < part.length; at += 256, chunks++) {
      const chunk = part.slice(at, at + 256);
      codePages += pages(chunk.map((code) => rank.get(code)!));
      guestPages += pages(chunk.map((code) => staged.get(code)!));
    }

    expect(codePages / chunks).toBeLessThanOrEqual(2 * pagesPerRange);
    expect(guestPages / chunks).toBeLessThanOrEqual(2 * pagesPerRange);
  });
});
