import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { readWalFrames, UncheckpointedFrames } from '../../electron/core/db/wal-frames.ts';
import { tempDir } from '../support/temp.ts';

/**
 * SQLite's locks on a WAL database are POSIX advisory locks on its -shm file, and POSIX drops every lock a
 * process holds on a file when that process closes any descriptor of it. The checkpoint worker once read
 * the -shm's header with its own open/close every 250 ms: each time, the door's locks were gone. A CLI
 * export started then (a separate process) found the WAL index unused, rebuilt it under the open kiosk and
 * could write beside it; the clean CI's vitest worker died of SIGBUS so while cli-export-lang ran.
 */
const HOLDER = path.resolve(import.meta.dirname, '../support/wal-lock-holder.ts');
const data = tempDir('checkpoint-locks');
afterAll(() => data.cleanup());

describe('the checkpoint worker leaves the door’s SQLite locks alone', () => {
  it('a second process cannot take the write lock an open kiosk holds, however long the worker has run', () => {
    const run = spawnSync(process.execPath, [HOLDER, path.join(data.dir, 'kiosk')], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.signal, run.stderr).toBe(null);
    expect(run.stdout).toContain('second writer: SQLITE_BUSY');
    expect(run.status, run.stderr).toBe(0);
  });
});

describe('the WAL’s frames, read from the -wal file', () => {
  it('counts this generation’s frames as SQLite does, and sees the WAL start over', () => {
    const file = path.join(data.dir, 'frames.sqlite');
    const db = new Database(file);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('wal_autocheckpoint = 0');
      db.exec('CREATE TABLE t (body BLOB)');
      const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
      const uncopied = new UncheckpointedFrames();
      // SQLite's own count: a PASSIVE checkpoint reports the WAL's frames (`log`) and what it copied.
      const checkpoint = () =>
        (db.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number; checkpointed: number }>)[0]!;
      for (let i = 0; i < 300; i++) insert.run(Buffer.alloc(3000, i));
      const first = readWalFrames(`${file}-wal`)!;
      expect(first.frames).toBeGreaterThan(300);
      expect(uncopied.count(`${file}-wal`)).toBe(first.frames);
      const done = checkpoint();
      expect(done.log).toBe(first.frames);
      uncopied.checkpointed(`${file}-wal`, done.checkpointed);
      expect(uncopied.count(`${file}-wal`)).toBe(0);
      // Everything was copied, so the next commit starts the WAL over: a new generation, counted from 0,
      // while the file keeps its old frames behind the new ones.
      for (let i = 0; i < 20; i++) insert.run(Buffer.alloc(3000, i));
      const second = readWalFrames(`${file}-wal`)!;
      expect(second.generation).not.toBe(first.generation);
      expect(second.frames).toBeLessThan(first.frames);
      expect(uncopied.count(`${file}-wal`)).toBe(second.frames);
      expect(checkpoint().log).toBe(second.frames);
    } finally {
      db.close();
    }
  });

  it('has nothing to count without a WAL, and checkpoints when the file is not one', () => {
    const uncopied = new UncheckpointedFrames();
    expect(uncopied.count(path.join(data.dir, 'none.sqlite-wal'))).toBe(0);
    const liar = path.join(data.dir, 'liar.sqlite-wal');
    fs.writeFileSync(liar, Buffer.alloc(5000, 7));
    expect(uncopied.count(liar)).toBe(Number.POSITIVE_INFINITY);
    // A WAL's magic with a page size SQLite never writes (0 would make every frame 24 bytes long).
    const header = Buffer.alloc(32);
    header.writeUInt32BE(0x377f0682, 0);
    header.writeUInt32BE(0, 8);
    fs.writeFileSync(liar, Buffer.concat([header, Buffer.alloc(4096)]));
    expect(uncopied.count(liar)).toBe(Number.POSITIVE_INFINITY);
  });
});
