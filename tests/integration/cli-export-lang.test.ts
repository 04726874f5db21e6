import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createKiosk } from '../../electron/core/kiosk.ts';
import { keyFileSecretBox } from '../../electron/core/secrets.ts';
import { must } from '../support/call.ts';
import { referenceParseCsv } from '../support/csv-reference.ts';
import { tempDir } from '../support/temp.ts';

/**
 * `lanyard export --lang zh-CN|en|de`: headers, sheet names and forum names in the language asked for;
 * without --lang, in the language staff last chose on the kiosk's screen (device.setLanguage, as the
 * language switch calls it); a kiosk whose screen never chose writes the English file with forum ids.
 */
const CLI = path.resolve(import.meta.dirname, '../../electron/cli/lanyard.ts');
const data = tempDir('cli-export-lang');
const keyFile = path.join(data.dir, 'secret.key');
const env = { ...process.env, LANYARD_SECRET_KEY_FILE: keyFile };
afterAll(() => data.cleanup());

function lanyard(...args: string[]): { status: number; json: Record<string, unknown> } {
  const r = spawnSync(process.execPath, [CLI, ...args, '--data', path.join(data.dir, 'kiosk'), '--json'], {
    encoding: 'utf8',
    env,
  });
  return { status: r.status ?? -1, json: JSON.parse(r.stdout) as Record<string, unknown> };
}

/** Exports CSV: the language the CLI says it wrote in, the header, and one guest's row. */
function exportCsv(guestId: string, ...extra: string[]): { lang: unknown; header: string[]; row: string[] } {
  const out = path.join(data.dir, `export-${extra.join('-') || 'default'}.csv`);
  const r = lanyard('export', '--format', 'csv', '--out', out, ...extra);
  expect(r.status).toBe(0);
  const [header, ...rows] = referenceParseCsv(fs.readFileSync(out, 'utf8').replace(/^\uFEFF/, ''), ',');
  return { lang: r.json['lang'], header: header!, row: rows.find((cells) => cells[0] === guestId)! };
}

describe('lanyard export --lang', () => {
  it('writes the language asked for, else the kiosk screen’s, else the English file with forum ids', () => {
    expect(lanyard('init', '--demo').status).toBe(0);
    // One guest in a forum, so the forum column shows a name (or, in the legacy file, its id).
    const kiosk = createKiosk({
      dataDir: path.join(data.dir, 'kiosk'),
      now: Date.now,
      secrets: keyFileSecretBox(keyFile),
    });
    try {
      const forum = must(kiosk, 'event.show', {}).event.forums[0]!;
      const guestId = must(kiosk, 'guests.search', { query: 'liu qing', limit: 1 }).results[0]!.id;
      must(kiosk, 'forums.assign', { guestId, forumId: forum.id, overrideReason: '' });
      const legacy = exportCsv(guestId);
      expect(legacy.lang).toBe(null);
      expect(legacy.header[0]).toBe('Guest ID');
      const column = legacy.header.indexOf('Sub-forum assigned');
      expect(column).toBeGreaterThan(0);
      expect(legacy.row[column]).toBe(forum.id);

      const de = exportCsv(guestId, '--lang', 'de');
      expect(de.lang).toBe('de');
      expect(de.header[0]).toBe('Gast-ID');
      expect(de.header[column]).toBe('Zugewiesenes Unterforum');
      expect(de.row[column]).toBe(forum.name.de);

      // The screen's language switch keeps its choice with the kiosk: the export follows it.
      expect(must(kiosk, 'device.setLanguage', { language: 'zh-CN' }).language).toBe('zh-CN');
      const zh = exportCsv(guestId);
      expect(zh.lang).toBe('zh-CN');
      expect(zh.header[0]).toBe('嘉宾编号');
      expect(zh.row[column]).toBe(forum.name.zh);
      const en = exportCsv(guestId, '--lang', 'en'); // --lang wins over the screen's language
      expect(en.lang).toBe('en');
      expect(en.row[column]).toBe(forum.name.en);
    } finally {
      kiosk.close();
    }

    const wrong = lanyard('export', '--format', 'csv', '--out', path.join(data.dir, 'x.csv'), '--lang', 'fr');
    expect(wrong.status).not.toBe(0);
    expect(wrong.json).toMatchObject({ error: { code: 'invalid_input' } });
    expect(String((wrong.json['error'] as { message: string }).message)).toContain('zh-CN|en|de');
  });
});
