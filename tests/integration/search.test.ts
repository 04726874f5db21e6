import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../electron/core/dispatch.ts';
import { createKiosk, type Kiosk } from '../../electron/core/kiosk.ts';
import type { Guest, ScanResult } from '../../shared/domain.ts';
import type { Result } from '../../shared/result.ts';
import { tempDir } from '../support/temp.ts';
import { testSecrets } from '../support/secrets.ts';
import { valueOf as value } from '../support/call.ts';

/**
 * Search on a real kiosk (issue 12): infixes of organisation words and any Han substring, email parts,
 * one typo in words of 5+ letters ranked below exact hits; the walk-in compound surname and pinyin.
 */
let dir: { dir: string; cleanup: () => void };
let kiosk: Kiosk;
let call: (method: string, input: unknown) => Result<unknown>;
const find = (query: string, limit = 12): string[] =>
  value<{ results: Guest[] }>(call('guests.search', { query, limit })).results.map((g) => g.name);
const walkIn = (name: string, organization: string, email: string): Guest =>
  value<ScanResult>(call('guests.walkIn', { name, organization, email, role: 'guest' })).guest!;

beforeEach(() => {
  dir = tempDir('search');
  kiosk = createKiosk({ dataDir: dir.dir, now: Date.now, secrets: testSecrets });
  call = createDispatcher(kiosk.handlers);
  value(call('event.loadDemo', {}));
  walkIn('王芳', '上海长三角技术创新研究院', 'wang.fang@sh-yrd.cn');
  walkIn('李雷', '长三角国家技术创新中心', 'li.lei@yrd.cn');
  walkIn('Lukas Schneider', 'Fraunhofer-Institut für Solare Energiesysteme', 'lukas.schneider.7@ise.example.de');
  walkIn('Claire Schnieder', 'Atelier Lumière', 'claire@lumiere.example.fr');
  walkIn('Greta Mueller', 'Stadtwerke München', 'greta.mueller@swm.example.de');
  walkIn('Oliver Bennett', 'Northwind Analytics Ltd', 'o.bennett@northwind.example.com');
});
afterEach(() => {
  kiosk.close();
  dir.cleanup();
});

describe('search: infixes', () => {
  it('中文: any Han substring of 2+ characters of an organisation or a name', () => {
    // The demo roster has many 长三角… organisations: the one with 长三角 in the middle is found too.
    expect(find('长三角', 100)).toEqual(expect.arrayContaining(['王芳', '李雷']));
    expect(find('技术创新研究院', 100)).toContain('王芳');
    expect(find('技术创新研究院', 100)).not.toContain('李雷');
    expect(find('创新中心', 100)).toContain('李雷');
    expect(find('研究', 100)).toContain('王芳');
  });

  it('de/en: a word anywhere in an organisation, from its start', () => {
    expect(find('energiesysteme')).toEqual(['Lukas Schneider']);
    expect(find('solare ener')).toEqual(['Lukas Schneider']);
    expect(find('analytics')).toEqual(['Oliver Bennett']);
    expect(find('münchen')).toContain('Greta Mueller');
  });
});

describe('search: email parts', () => {
  it('a domain, a middle part of the local part, with or without @', () => {
    expect(find('ise.example.de')).toEqual(['Lukas Schneider']);
    expect(find('northwind.example.com')).toEqual(['Oliver Bennett']);
    expect(find('sh-yrd.cn')).toEqual(['王芳']);
    expect(find('schneider.7@')[0]).toBe('Lukas Schneider');
    // The demo roster's addresses are first.last.N@example.org: the domain and "muller.4@".
    expect(find('example.org', 5)).toHaveLength(5);
    const muller = value<{ results: Guest[] }>(call('guests.search', { query: 'muller.4@', limit: 5 })).results;
    expect(muller[0]!.email).toBe('anna.muller.4@example.org');
  });
});

describe('search: one typo in words of 5+ letters', () => {
  it('de: "mueler", "schnieder", "münchn" find Müller, Mueller, Schneider, München', () => {
    expect(find('mueler')).toEqual(expect.arrayContaining(['Anna Müller', 'Greta Mueller']));
    expect(find('schnieder')).toEqual(
      expect.arrayContaining(['Lukas Schneider', 'Claire Schnieder', 'Jürgen Schneider']),
    );
    expect(find('munchn')).toContain('Greta Mueller');
  });

  it('en: "benett", "nortwind"; a typo in one word of two', () => {
    expect(find('benett')).toEqual(['Oliver Bennett']);
    expect(find('nortwind')).toEqual(['Oliver Bennett']);
    expect(find('oliver benett')).toEqual(['Oliver Bennett']);
  });

  it('zh: a typo in a pinyin word ("ouyang xiaomng") finds the walk-in by transcription', () => {
    walkIn('欧阳晓明', '复旦大学', '');
    expect(find('xiaomng')).toEqual(['欧阳晓明']);
    expect(find('ouyang xiaomng')).toEqual(['欧阳晓明']);
    expect(find('ouyang')).toContain('欧阳晓明');
  });

  it('short words get no typo tolerance, and exact hits rank above typo hits', () => {
    expect(find('lukas')).toEqual(['Lukas Schneider']);
    expect(find('lukaz')).toEqual(['Lukas Schneider']);
    expect(find('anan')).toEqual([]); // 4 letters: no correction to "anna"
    // Exact first (the demo roster has more Schneiders), then the guest one letter away.
    const exact = find('schneider');
    expect(exact.at(-1)).toBe('Claire Schnieder');
    expect(exact.slice(0, -1)).toEqual(expect.arrayContaining(['Lukas Schneider', 'Jürgen Schneider']));
    const typo = find('schnieder');
    expect(typo[0]).toBe('Claire Schnieder');
    expect(typo.slice(1)).toEqual(expect.arrayContaining(['Lukas Schneider', 'Jürgen Schneider']));
    // Ouyang (the surname, exact) before Huyang (胡洋, one letter away).
    walkIn('欧阳晓明', '', '');
    const ouyang = find('ouyang');
    expect(ouyang.indexOf('欧阳晓明')).toBeLessThan(ouyang.indexOf('胡洋'));
    expect(ouyang.indexOf('胡洋')).toBe(ouyang.length - 1);
  });
});

describe('walk-in names', () => {
  it('欧阳晓明 splits as 欧阳 / 晓明 with the transcription Ouyang Xiaoming; 司马 and 诸葛 too', () => {
    expect(walkIn('欧阳晓明', '', '')).toMatchObject({
      familyName: '欧阳',
      givenName: '晓明',
      nativeName: '欧阳晓明',
      latinName: 'Ouyang Xiaoming',
    });
    expect(walkIn('司马光', '', '')).toMatchObject({ familyName: '司马', givenName: '光', latinName: 'Sima Guang' });
    expect(walkIn('单丽', '', '')).toMatchObject({ familyName: '单', givenName: '丽', latinName: 'Shan Li' });
    expect(walkIn('Anna Lena Berg', '', '')).toMatchObject({
      familyName: 'Berg',
      givenName: 'Anna Lena',
      latinName: '',
    });
  });
});
