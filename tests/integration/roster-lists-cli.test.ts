import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp.ts';

/** `lanyard import FILE [--list NAME] [--replace] [--preset P] [--dry-run] --json`, as a script uses it. */
const CLI = path.resolve(import.meta.dirname, '../../electron/cli/lanyard.ts');
const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/roster');
const data = tempDir('cli-lists');
afterAll(() => data.cleanup());

function lanyard(...args: string[]): { status: number; json: Record<string, unknown> } {
  const r = spawnSync(process.execPath, [CLI, ...args, '--data', data.dir, '--json'], { encoding: 'utf8' });
  return { status: r.status ?? -1, json: JSON.parse(r.stdout) as Record<string, unknown> };
}

/** Reads the kiosk database the CLI wrote (read-only, between commands). */
function count(sql: string): number {
  const db = new BetterSqlite3(path.join(data.dir, 'lanyard.sqlite'), { readonly: true });
  try {
    return db.prepare(sql).pluck().get() as number;
  } finally {
    db.close();
  }
}
const statusOf = (email: string): string => {
  const db = new BetterSqlite3(path.join(data.dir, 'lanyard.sqlite'), { readonly: true });
  try {
    return db.prepare(`SELECT status FROM guests WHERE email = ?`).pluck().get(email) as string;
  } finally {
    db.close();
  }
};

const file = (name: string, bytes: Buffer) => {
  const target = path.join(data.dir, name);
  fs.writeFileSync(target, bytes);
  return target;
};

describe('lanyard import with lists', () => {
  it('two lists, a complete list with a dry run first, the exact JSON shape', () => {
    expect(lanyard('init', '--demo').status).toBe(0);
    const eb = lanyard('import', path.join(FIXTURES, 'eventbrite-attendee-summary.csv'), '--preset', 'eventbrite');
    expect(eb).toMatchObject({ status: 0 });
    expect(eb.json).toEqual({ list: 'Eventbrite', added: 3, updated: 0, unchanged: 0, removed: 0, errors: [] });

    const institutes = file(
      'institutes.csv',
      iconv.encode(
        '姓名,单位,邮箱,票号,分论坛\r\n王芳,复旦大学,wf@fudan.example,I-1,材料\r\n李雷,复旦大学,ll@fudan.example,I-2,信息技术\r\n',
        'gb18030',
      ),
    );
    expect(lanyard('import', institutes, '--list', 'Institutes').json).toEqual({
      list: 'Institutes',
      added: 2,
      updated: 0,
      unchanged: 0,
      removed: 0,
      errors: [],
    });

    // The institutes' complete list lacks 李雷: the dry run says so and changes nothing; then the import.
    const final = file(
      'institutes-final.csv',
      iconv.encode('姓名,单位,邮箱,票号\r\n王芳,复旦大学,wf@fudan.example,I-1\r\n', 'gb18030'),
    );
    const dry = lanyard('import', final, '--list', 'Institutes', '--replace', '--dry-run');
    expect(dry).toMatchObject({ status: 0, json: { list: 'Institutes', removed: 1, unchanged: 1 } });
    expect(Object.keys(dry.json).sort()).toEqual(['added', 'errors', 'list', 'removed', 'unchanged', 'updated']);
    const text = spawnSync(
      process.execPath,
      [CLI, 'import', final, '--list', 'Institutes', '--replace', '--dry-run', '--data', data.dir],
      { encoding: 'utf8' },
    ).stdout;
    expect(text).toContain('Would remove:');
    expect(text).toContain('李雷 — 复旦大学');
    expect(statusOf('ll@fudan.example')).toBe('active');

    expect(lanyard('import', final, '--list', 'Institutes', '--replace').json).toMatchObject({ removed: 1 });
    expect(statusOf('ll@fudan.example')).toBe('removed');
    expect(statusOf('chloe@example.fr')).toBe('active'); // Eventbrite's
    expect(count(`SELECT count(*) FROM guests WHERE source = 'demo' AND status != 'removed'`)).toBe(300); // untouched
  }, 180_000); // eight CLI runs, each a fresh Node process

  it('row errors: exit status 2, nothing imported, every error in the JSON', () => {
    const bad = file('bad.csv', Buffer.from('Name,Email,Forum\r\nAnna Berg,anna@a.de,tion\r\n,x@y.de,\r\n'));
    const r = lanyard('import', bad, '--list', 'Speakers');
    expect(r.status).toBe(2);
    expect(r.json).toMatchObject({
      list: 'Speakers',
      added: 1,
      errors: [
        { row: 2, code: 'ambiguous_forum' },
        { row: 3, code: 'missing_name' },
      ],
    });
    expect(count(`SELECT count(*) FROM guests WHERE email = 'anna@a.de'`)).toBe(0);
  });
});
