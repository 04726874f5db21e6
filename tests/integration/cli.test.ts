import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp.ts';

const CLI = path.resolve(import.meta.dirname, '../../electron/cli/lanyard.ts');
const data = tempDir('cli');
afterAll(() => data.cleanup());

/** The `lanyard` command as scripts use it: one JSON document on stdout, errors as JSON with exit ≠ 0. */
function lanyard(...args: string[]): { status: number; json: Record<string, unknown> } {
  return lanyardWithEnv(process.env, ...args);
}

function lanyardWithEnv(env: NodeJS.ProcessEnv, ...args: string[]): { status: number; json: Record<string, unknown> } {
  const r = spawnSync(process.execPath, [CLI, ...args, '--data', data.dir, '--json'], { encoding: 'utf8', env });
  return { status: r.status ?? -1, json: JSON.parse(r.stdout) as Record<string, unknown> };
}

describe('lanyard CLI', () => {
  it('init --demo, search, scan twice, undo, stats', () => {
    expect(lanyard('init', '--demo')).toMatchObject({ status: 0, json: { guests: 300 } });
    const search = lanyard('search', 'liu', 'qing').json as {
      results: Array<{ id: string; name: string; codes: string[] }>;
    };
    expect(search.results[0]).toMatchObject({
      name: '刘青',
      checkedIn: false,
      checkedInAt: null,
      organization: expect.any(String),
    });
    const code = search.results[0]!.codes[0]!;

    expect(lanyard('scan', code, '--device', 'North door').json).toMatchObject({
      status: 'checked_in',
      guest: { name: '刘青', checkedIn: true },
    });
    // Presented again after the 2 s in which a repeat is the same scan (a double read): amber.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2_100);
    const again = lanyard('scan', code).json as { status: string; firstCheckin: { door: string } };
    expect(again.status).toBe('already_checked_in');
    expect(again.firstCheckin.door).toBe('North door');
    expect(lanyard('scan', 'no-such-code').json).toMatchObject({ status: 'unknown_code', guest: null });

    expect(lanyard('stats').json).toMatchObject({ guests: 300, checkedIn: 1 });
    expect(lanyard('undo', search.results[0]!.id)).toMatchObject({ status: 0, json: { guest: { checkedIn: false } } });
    expect(lanyard('stats').json).toMatchObject({ checkedIn: 0, voided: 1 });
  });

  it('reports errors as JSON with a stable code and a non-zero exit', () => {
    expect(lanyard('undo', 'g9999')).toMatchObject({ status: 1, json: { error: { code: 'checkin_not_found' } } });
    expect(lanyard('frobnicate')).toMatchObject({ status: 1, json: { error: { code: 'invalid_input' } } });
    expect(lanyard('scan')).toMatchObject({ status: 1, json: { error: { code: 'invalid_input' } } });
  });

  it('--help lists the commands', () => {
    const help = execFileSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
    for (const command of ['init', 'scan', 'search', 'undo', 'stats', 'serve']) expect(help).toContain(`  ${command}`);
  });
});

describe('lanyard CLI: sub-forums', () => {
  it('forums, assign (refusing a full forum without --override), autoassign, scan --forum', () => {
    const forums = lanyard('forums').json as {
      forums: Array<{ id: string; capacity: number; assigned: number; arrived: number; inside: number }>;
    };
    expect(forums.forums.map((f) => f.id)).toEqual(['biomed', 'energy', 'equipment', 'materials', 'it']);
    expect(forums.forums[0]).toMatchObject({ capacity: 80, assigned: 0, arrived: 0, inside: 0 });

    // Make Materials full: one seat, taken.
    const db = new BetterSqlite3(path.join(data.dir, 'lanyard.sqlite'));
    db.prepare(`UPDATE forums SET capacity = 1 WHERE id = 'materials'`).run();
    db.close();
    expect(lanyard('assign', 'g0004', 'materials')).toMatchObject({
      status: 0,
      json: { guest: { forumId: 'materials' }, overridden: false },
    });
    expect(lanyard('assign', 'g0100', 'materials')).toMatchObject({
      status: 1,
      json: { error: { code: 'forum_full' } },
    });
    expect(lanyard('assign', 'g0100', 'materials', '--override', 'VIP guest of the chair')).toMatchObject({
      status: 0,
      json: { overridden: true },
    });

    const preview = lanyard('autoassign', '--dry-run').json as { applied: boolean; placed: number; byRank: number[] };
    expect(preview.applied).toBe(false);
    expect(lanyard('autoassign').json).toMatchObject({ applied: true, placed: preview.placed, byRank: preview.byRank });

    const anna = (lanyard('search', 'anna', 'muller').json as { results: Array<{ codes: string[] }> }).results[0]!;
    expect(lanyard('scan', anna.codes[0]!, '--forum', 'materials').json).toMatchObject({
      status: 'entered',
      inside: 1,
    });
    expect(lanyard('scan', anna.codes[0]!, '--forum', 'it').json).toMatchObject({
      status: 'assigned_elsewhere',
      assignedForumId: 'materials',
    });
    expect(lanyard('scan', anna.codes[0]!, '--forum', 'materials', '--exit').json).toMatchObject({
      status: 'exited',
      inside: 0,
    });
    expect(lanyard('scan', anna.codes[0]!, '--forum', 'nope')).toMatchObject({
      status: 1,
      json: { error: { code: 'forum_not_found' } },
    });
  });
});

describe('lanyard CLI: badge codes and badges', () => {
  it('code, verify (valid, then a tampered code with exit status 3), badges for a forum, reprint refused', () => {
    const code = execFileSync(process.execPath, [CLI, 'code', 'g0001', '--data', data.dir], {
      encoding: 'utf8',
    }).trim();
    // A format 2 roster badge code (docs/badge-codes.md): 24 digits, generation 1 of the event's secret.
    expect(code).toMatch(/^8101\d{20}$/);
    expect(lanyard('verify', code)).toMatchObject({
      status: 0,
      json: { valid: true, reason: 'ok', guestId: 'g0001', keyId: 1 },
    });
    const tampered = `${code.slice(0, 20)}${(Number(code[20]) + 1) % 10}${code.slice(21)}`;
    const refused = lanyard('verify', tampered);
    expect(refused.status).toBe(3);
    expect(refused.json).toMatchObject({ valid: false });

    const out = path.join(data.dir, 'materials.pdf');
    expect(lanyard('badges', '--forum', 'materials', '--template', 'cr80', '--out', out)).toMatchObject({
      status: 0,
      json: { badges: 2, overflowing: [] },
    });
    expect(fs.readFileSync(out).subarray(0, 5).toString()).toBe('%PDF-');
    expect(lanyard('badge', 'g0004', '--out', out)).toMatchObject({
      status: 1,
      json: { error: { code: 'reprint_needs_reason' } },
    });
    expect(lanyard('badge', 'g0004', '--out', out, '--reason', 'coffee on it')).toMatchObject({ status: 0 });
  });

  it('no browser anywhere: browser_missing with what to install or set, exit 1, no file and no print', () => {
    const prints = () => {
      const db = new BetterSqlite3(path.join(data.dir, 'lanyard.sqlite'), { readonly: true });
      try {
        return db.prepare(`SELECT count(*) FROM facts WHERE type = 'badge_print'`).pluck().get();
      } finally {
        db.close();
      }
    };
    const before = prints();
    // CHROME_PATH points nowhere and LANYARD_BROWSER_SEARCH=none keeps the installed and npm ones out of reach.
    const out = path.join(data.dir, 'nowhere.pdf');
    const missing = lanyardWithEnv(
      { ...process.env, CHROME_PATH: path.join(data.dir, 'no-such-chrome'), LANYARD_BROWSER_SEARCH: 'none' },
      ...['badge', 'g0100', '--out', out],
    );
    expect(missing).toMatchObject({ status: 1, json: { error: { code: 'browser_missing' } } });
    const message = (missing.json['error'] as { message: string }).message;
    expect(message).toContain('CHROME_PATH');
    expect(message).toContain('Google Chrome');
    expect(fs.existsSync(out)).toBe(false);
    expect(prints()).toBe(before);
  });
});
