import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeText, decodeTextInSlices } from '../../electron/core/roster/decode.ts';

/**
 * A CSV without a BOM that is not UTF-8 is what Excel wrote for "CSV" in the organiser's locale: GB18030
 * in a Chinese one, Windows-1252 in a German or French one. Read as GB18030, a German list decoded
 * without an error into nonsense ("Jürgen Müller" → "J黵gen M黮ler") that would be printed on badges.
 */
const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '黄',
  '赵',
  '吴',
  '周',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
  '何',
  '欧阳',
  '司马',
  '诸葛',
];
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '洋',
  '艳',
  '勇',
  '军',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀英',
  '晓东',
  '海燕',
  '堃',
  '喆',
  '玥',
  '昇',
];
const ORGS = [
  '上海科技交流中心',
  '南京生物医药创新研究院',
  '苏州纳米材料研究所',
  '长三角国家技术创新中心',
  'Bosch (中国) 投资有限公司',
];
const WESTERN_FIRST = [
  'Jürgen',
  'Käthe',
  'Björn',
  'François',
  'Renée',
  'Hélène',
  'Zoë',
  'Ignacio',
  'Anna',
  'Stefan',
  'Léa',
  'Noël',
  'Sören',
];
const WESTERN_LAST = [
  'Müller',
  'Schröder',
  'Größler',
  'Lefèvre',
  'Dubois',
  'Çelik',
  'Weiß',
  'Fischer',
  'Bräutigam',
  'Garçon',
  'Smith',
  'Núñez',
];
const WESTERN_ORGS = ['Siemens AG', 'Société Générale', 'Müller & Söhne', 'Café Crème SàRL', 'BASF', 'Straße 5 GmbH'];

const csv = (rows: string[][]) => ['name,organization,email', ...rows.map((r) => r.join(','))].join('\r\n') + '\r\n';

describe('decodeText: a CSV without BOM from Excel in a Chinese or a Western locale', () => {
  it('German and French lists in Windows-1252 arrive intact (they were GB18030 nonsense)', () => {
    const text = csv([
      ['Jürgen Müller', 'Bosch', 'jm@bosch.de'],
      ['Karin Schröder', 'Siemens', 'ks@siemens.de'],
      ['Stefan Größler', 'BASF', 'sg@basf.de'],
    ]);
    expect(decodeText(iconv.encode(text, 'win1252'))).toEqual({ text, encoding: 'windows-1252' });
    const french = csv([['François Lefèvre', 'Société Générale', 'fl@sg.fr']]);
    expect(decodeText(iconv.encode(french, 'win1252'))).toEqual({ text: french, encoding: 'windows-1252' });
  });

  it('any list of Chinese names (rare characters too) in GB18030 stays GB18030, intact', () => {
    const row = fc.tuple(
      fc.constantFrom(...SURNAMES),
      fc.array(fc.constantFrom(...GIVEN), { minLength: 1, maxLength: 2 }),
      fc.constantFrom(...ORGS),
      fc.stringMatching(/^[a-z]{1,8}$/),
    );
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 30 }), (rows) => {
        const text = csv(rows.map(([s, g, org, mail]) => [s + g.join(''), org, `${mail}@example.cn`]));
        expect(decodeText(iconv.encode(text, 'gb18030'))).toEqual({ text, encoding: 'gb18030' });
      }),
      { numRuns: 3000 },
    );
  });

  it('any list of Western names with accents in Windows-1252 is read as Windows-1252, intact', () => {
    const row = fc.tuple(
      fc.constantFrom(...WESTERN_FIRST),
      fc.constantFrom(...WESTERN_LAST),
      fc.constantFrom(...WESTERN_ORGS),
    );
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 30 }), (rows) => {
        const text = csv(rows.map(([first, last, org]) => [`${first} ${last}`, org, 'x@example.de']));
        const bytes = iconv.encode(text, 'win1252');
        const decoded = decodeText(bytes);
        // All-ASCII rows are UTF-8 as well; any accent makes it Windows-1252.
        expect(decoded.text).toBe(text);
        expect(decoded.encoding).toBe(bytes.every((b) => b < 0x80) ? 'utf-8' : 'windows-1252');
      }),
      { numRuns: 3000 },
    );
  });

  it('a Chinese-locale (GB18030) list of mostly German and French names stays GB18030', () => {
    // GBK spells the pinyin vowels ü é è à as two bytes (A8 xx), which are no letters in Windows-1252.
    const text = csv([
      ['Jürgen Müller', 'Bosch (中国) 投资有限公司', 'jm@bosch.de'],
      ['Hélène Dubois', 'Société Générale', 'hd@sg.fr'],
      ['Karin Schüler', 'Siemens', 'ks@siemens.de'],
      ['刘洋', '上海科技交流中心', 'ly@example.cn'],
    ]);
    expect(decodeText(iconv.encode(text, 'gb18030'))).toEqual({ text, encoding: 'gb18030' });
  });

  it('a one-row Chinese list with a rare character whose second byte is ASCII (玥: AB 68) stays GB18030', () => {
    // Found by the property test in the clean CI: 王玥玥 read as Windows-1252.
    const text = csv([['王玥玥', '上海科技交流中心', 'a@example.cn']]);
    expect(decodeText(iconv.encode(text, 'gb18030'))).toEqual({ text, encoding: 'gb18030' });
    const dash = csv([['Anna Weber – Gast', 'Straße 5 GmbH', 'aw@example.de']]);
    expect(decodeText(iconv.encode(dash, 'win1252'))).toEqual({ text: dash, encoding: 'windows-1252' });
  });

  it('UTF-8 stays UTF-8, and a BOM still decides', () => {
    const text = csv([['Jürgen Müller', '上海科技交流中心', 'jm@bosch.de']]);
    expect(decodeText(new TextEncoder().encode(text))).toEqual({ text, encoding: 'utf-8' });
    expect(decodeText(iconv.encode(text, 'utf-16le', { addBOM: true }))).toEqual({ text, encoding: 'utf-16le' });
  });
});

describe('decodeTextInSlices: a big file decoded a slice at a time, the door going on between', () => {
  // ~1.5 MB in each encoding: many 128 KiB slices, with characters of 2–4 bytes across their edges.
  const line = (i: number) => `刘青${i},长三角国家技术创新中心,Jürgen Müller 🎫,liu${i}@example.cn\r\n`;
  const text = `name,organization,email\r\n${Array.from({ length: 20_000 }, (_, i) => line(i)).join('')}`;

  it.each([
    ['utf-8', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])],
    ['utf-8', Buffer.from(text)],
    ['utf-16le', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf16le')])],
    ['gb18030', iconv.encode(text, 'gb18030')],
  ] as const)('%s: the same text as in one go, with pauses between slices', async (encoding, bytes) => {
    let pauses = 0;
    const decoded = await decodeTextInSlices(bytes, () => {
      pauses++;
      return new Promise<void>((resolve) => setImmediate(resolve));
    });
    expect(decoded.encoding).toBe(encoding);
    // Kept in pieces (the CSV parser reads them so, csv.ts): joined, the same text as in one go.
    expect(decoded.pieces.length).toBeGreaterThanOrEqual(8);
    expect(decoded.pieces.join('') === text).toBe(true);
    expect(decodeText(bytes)).toEqual({ text, encoding });
    expect(pauses).toBeGreaterThanOrEqual(8);
  });

  it('a byte that is not UTF-8 late in the file still sends it to the legacy encodings', async () => {
    const western = Buffer.from(`name\r\n${'Anna Schmidt\r\n'.repeat(80_000)}`);
    const bytes = Buffer.concat([western, iconv.encode('Jürgen Müller\r\n', 'win1252')]);
    const decoded = await decodeTextInSlices(bytes, () => null);
    expect(decoded.encoding).toBe('windows-1252');
    expect(decoded.pieces.join('').endsWith('Jürgen Müller\r\n')).toBe(true);
  });

  it('a UTF-8 BOM with broken bytes after the first slice is refused, not patched', async () => {
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('a'.repeat(600_000)),
      Buffer.from([0xc3]),
    ]);
    await expect(decodeTextInSlices(bytes, () => null)).rejects.toMatchObject({ code: 'file_unreadable' });
  });
});
