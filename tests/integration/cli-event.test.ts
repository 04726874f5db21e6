import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp.ts';

const CLI = path.resolve(import.meta.dirname, '../../electron/cli/lanyard.ts');
const data = tempDir('cli-event');
afterAll(() => data.cleanup());

function lanyard(...args: string[]): { status: number; json: Record<string, unknown> } {
  const r = spawnSync(process.execPath, [CLI, ...args, '--data', data.dir, '--json'], { encoding: 'utf8' });
  return { status: r.status ?? -1, json: JSON.parse(r.stdout) as Record<string, unknown> };
}

describe('lanyard event and forums: an organiser’s own event from a blank kiosk', () => {
  it('init (no demo) → event create → forums add ×2 → import → event show → forums remove --move-to', () => {
    expect(lanyard('init')).toMatchObject({ status: 0, json: { event: null, guests: 0 } });
    const csv = path.join(data.dir, 'guests.csv');
    fs.writeFileSync(
      csv,
      'Name,Organisation,E-Mail\nAnna Müller,Fraunhofer,anna@example.org\n刘青,清华大学,liu@example.org\nJohn Smith,ACME,john@example.org\n',
    );
    expect(lanyard('import', csv)).toMatchObject({ status: 1, json: { error: { code: 'no_event' } } });

    const created = lanyard(
      'event',
      'create',
      '--name',
      'Partner Day',
      '--name-zh',
      '合作伙伴日',
      '--starts',
      '2026-06-01T09:00',
      '--ends',
      '2026-06-01T18:00',
      '--timezone',
      'Europe/Berlin',
      '--venue',
      'Messe Berlin',
    );
    expect(created.status).toBe(0);
    expect(Object.keys(created.json)).toEqual(['eventId']);
    const eventId = created.json['eventId'] as string;
    expect(eventId).toMatch(/^partner-day-[0-9a-f]{6}$/);
    expect(lanyard('event', 'create', '--name', 'Another')).toMatchObject({
      status: 1,
      json: { error: { code: 'event_exists' } },
    });
    expect(lanyard('event', 'update', '--timezone', 'Nowhere/Land')).toMatchObject({
      status: 1,
      json: { error: { code: 'invalid_timezone' } },
    });

    expect(
      lanyard(
        'forums',
        'add',
        'materials',
        '--name',
        'Materials',
        '--name-zh',
        '新材料',
        '--capacity',
        '40',
        '--room',
        'B210',
      ),
    ).toMatchObject({
      status: 0,
      json: { forum: { id: 'materials', capacity: 40, room: 'B210', name: { zh: '新材料', de: 'Materials' } } },
    });
    expect(
      lanyard('forums', 'add', 'it', '--name', 'IT', '--name-de', 'Informationstechnik', '--capacity', '2'),
    ).toMatchObject({
      status: 0,
      json: { forum: { id: 'it', name: { en: 'IT', zh: 'IT', de: 'Informationstechnik' } } },
    });
    expect(lanyard('forums', 'add', 'it', '--name', 'IT')).toMatchObject({
      status: 1,
      json: { error: { code: 'forum_exists' } },
    });
    expect(lanyard('forums', 'update', 'it', '--room', 'C301')).toMatchObject({
      status: 0,
      json: { forum: { room: 'C301', capacity: 2 } },
    });

    expect(lanyard('import', csv)).toMatchObject({ status: 0, json: { added: 3, errors: [] } });
    const anna = (lanyard('search', 'anna').json['results'] as Array<{ id: string }>)[0]!.id;
    const liu = (lanyard('search', 'liu qing').json['results'] as Array<{ id: string }>)[0]!.id;
    expect(lanyard('assign', anna, 'materials').status).toBe(0);
    expect(lanyard('assign', liu, 'materials').status).toBe(0);

    const shown = lanyard('event', 'show');
    expect(shown).toMatchObject({
      status: 0,
      json: {
        event: {
          id: eventId,
          name: { en: 'Partner Day', zh: '合作伙伴日', de: 'Partner Day' },
          startsAt: '2026-06-01T09:00:00+02:00',
          endsAt: '2026-06-01T18:00:00+02:00',
          timezone: 'Europe/Berlin',
          venue: { en: 'Messe Berlin' },
        },
        badgeSize: 'cr80',
        logo: false,
      },
    });
    expect((shown.json['event'] as { forums: Array<{ id: string }> }).forums.map((f) => f.id)).toEqual([
      'materials',
      'it',
    ]);

    const refused = lanyard('forums', 'remove', 'materials');
    expect(refused).toMatchObject({ status: 1, json: { error: { code: 'forum_in_use' } } });
    expect((refused.json['error'] as { message: string }).message).toMatch(/^2 guest/);
    expect(lanyard('forums', 'remove', 'materials', '--move-to', 'it')).toEqual({
      status: 0,
      json: { removed: 'materials', moved: 2 },
    });
    const listed = lanyard('forums').json['forums'] as Array<{ id: string; assigned: number }>;
    expect(listed.map((f) => [f.id, f.assigned])).toEqual([['it', 2]]);
    expect(lanyard('search', 'anna').json['results']).toMatchObject([{ forumId: 'it' }]);
  }, 300_000); // seventeen CLI processes: about 1 s each, several on a loaded 2-core machine
});
