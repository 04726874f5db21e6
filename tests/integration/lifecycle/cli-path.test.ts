import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../support/temp.ts';

/**
 * Issue 11's CLI path exactly as written: init (no demo) → event create → forums add → import two lists
 * (a GB18030 Excel CSV and an Eventbrite export) → import --replace → scan → export → wipe.
 */
const CLI = path.resolve(import.meta.dirname, '../../../electron/cli/lanyard.ts');
const data = tempDir('cli-path');
const files = tempDir('cli-path-files');
afterAll(() => {
  data.cleanup();
  files.cleanup();
});

function lanyard(...args: string[]): { status: number; json: Record<string, unknown> } {
  const r = spawnSync(process.execPath, [CLI, ...args, '--data', data.dir, '--json'], { encoding: 'utf8' });
  return { status: r.status ?? -1, json: JSON.parse(r.stdout) as Record<string, unknown> };
}

const INSTITUTES =
  '姓名,单位,邮箱,票号,分论坛\r\n' +
  '刘青,长三角国家技术创新中心,liuqing@example.cn,CN-001,新材料\r\n' +
  '欧阳晓东,上海测试研究院,ouyang@example.cn,CN-002,信息技术\r\n';

describe('the CLI path of an event, from init to wipe', () => {
  it('init → event create → forums add → two lists → --replace → scan → export → wipe', () => {
    expect(lanyard('init')).toMatchObject({ status: 0, json: { event: null } });
    expect(lanyard('import', 'x.csv').status).not.toBe(0);
    const created = lanyard(
      'event',
      'create',
      '--name',
      'Open Day 2027',
      '--name-zh',
      '开放日',
      '--timezone',
      'Asia/Shanghai',
    );
    expect(created.status).toBe(0);
    expect(lanyard('event', 'create', '--name', 'Again').json).toMatchObject({ error: { code: 'event_exists' } });
    expect(
      lanyard('forums', 'add', 'materials', '--name', 'New materials', '--name-zh', '新材料', '--capacity', '50')
        .status,
    ).toBe(0);
    expect(lanyard('forums', 'add', 'it', '--name', 'Information technology', '--name-zh', '信息技术').status).toBe(0);

    const institutes = path.join(files.dir, 'institutes.csv');
    fs.writeFileSync(institutes, iconv.encode(INSTITUTES, 'gb18030'));
    expect(lanyard('import', institutes, '--list', 'Institutes')).toMatchObject({
      status: 0,
      json: { list: 'Institutes', added: 2, removed: 0 },
    });
    const eventbrite = path.resolve(import.meta.dirname, '../../fixtures/roster/eventbrite-attendee-summary.csv');
    expect(lanyard('import', eventbrite, '--preset', 'eventbrite', '--list', 'Eventbrite')).toMatchObject({
      status: 0,
      json: { list: 'Eventbrite', removed: 0 },
    });
    fs.writeFileSync(
      institutes,
      iconv.encode(
        INSTITUTES.split('\r\n')
          .filter((l) => !l.startsWith('欧阳'))
          .join('\r\n'),
        'gb18030',
      ),
    );
    expect(lanyard('import', institutes, '--list', 'Institutes', '--replace')).toMatchObject({
      status: 0,
      json: { removed: 1 },
    });
    expect(lanyard('scan', 'CN-001')).toMatchObject({ status: 0, json: { status: 'checked_in' } });
    expect(lanyard('scan', 'CN-002').json).toMatchObject({ status: 'cancelled' }); // removed from the complete list
    expect(lanyard('scan', '98765432111001').json).toMatchObject({ status: 'checked_in' }); // the other list's

    expect(lanyard('wipe').json).toMatchObject({ error: { code: 'invalid_input' } }); // needs --yes
    expect(lanyard('wipe', '--yes')).toMatchObject({ status: 1, json: { error: { code: 'unsynced_events' } } });
    const bundle = path.join(files.dir, 'attendance.zip');
    expect(lanyard('export', '--format', 'bundle', '--out', bundle).status).toBe(0);
    expect(fs.statSync(bundle).size).toBeGreaterThan(0);
    expect(lanyard('wipe', '--yes')).toMatchObject({ status: 0, json: { wiped: true } });
    expect(fs.readdirSync(data.dir)).toEqual([]);
  }, 300_000);
});
