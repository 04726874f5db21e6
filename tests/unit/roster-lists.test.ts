import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forumMatcher, type ForumNames } from '../../shared/roster/forum-match.ts';
import { cleanListName, defaultListName, listKey, planListReplacement } from '../../shared/roster/lists.ts';
import { detectPreset } from '../../shared/roster/mapping.ts';
import { fold, foldGerman } from '../../shared/search/fold.ts';

const FORUMS: ForumNames[] = [
  { id: 'biomed', name: { zh: '生物医药', en: 'Biomedicine', de: 'Biomedizin' }, room: 'Hall A' },
  {
    id: 'energy',
    name: { zh: '能源环保', en: 'Energy & Environmental Protection', de: 'Energie & Umweltschutz' },
    room: 'Hall B',
  },
  { id: 'materials', name: { zh: '新材料', en: 'Materials', de: 'Werkstoffe' }, room: 'Room 201' },
  { id: 'it', name: { zh: '信息技术', en: 'Information Technology', de: 'Informationstechnik' }, room: 'Room 305' },
  { id: 'matsci', name: { zh: '材料科学', en: 'Materials Science', de: 'Materialwissenschaft' }, room: '' },
];
const match = forumMatcher(FORUMS);

/** What a person or another system might do to a name: case, full-width forms, spaces around it. */
const FULL_WIDTH_OFFSET = 0xfee0;
const mangled = (text: string) =>
  fc
    .array(fc.constantFrom('keep', 'upper', 'lower', 'wide'), { minLength: text.length, maxLength: text.length })
    .chain((ops) =>
      fc.constantFrom('', ' ', '\u3000').map((pad) => {
        let out = '';
        [...text].forEach((ch, i) => {
          const op = ops[i] ?? 'keep';
          const cased = op === 'upper' ? ch.toUpperCase() : op === 'lower' ? ch.toLowerCase() : ch;
          const code = cased.codePointAt(0)!;
          out += op === 'wide' && code > 0x20 && code < 0x7f ? String.fromCodePoint(code + FULL_WIDTH_OFFSET) : cased;
        });
        return `${pad}${out}${pad}`;
      }),
    );

describe('forumMatcher', () => {
  it('every id and name, in any case or width, finds its forum', () => {
    const named = FORUMS.flatMap((f) => [f.id, f.name.zh, f.name.en, f.name.de].map((n) => [n, f.id] as const));
    fc.assert(
      fc.property(
        fc.constantFrom(...named).chain(([name, id]) => mangled(name).map((text) => [text, id] as const)),
        ([text, id]) => {
          expect(match(text)).toEqual({ ok: true, forumId: id });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never guesses: a match equals a name or is part of exactly that forum’s name; ambiguity lists every candidate', () => {
    const variants = (text: string) => [fold(text), foldGerman(text)].filter((k) => k !== '');
    const names = (f: ForumNames) => [f.name.zh, f.name.en, f.name.de].flatMap(variants);
    const keys = (f: ForumNames) => [f.id, f.room, f.name.zh, f.name.en, f.name.de].flatMap(variants);
    const pieces = FORUMS.flatMap((f) => Object.values(f.name)).flatMap((n) => [...n]);
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom(...pieces), maxLength: 6 })), (value) => {
        const vs = variants(value);
        const result = match(value);
        const exactly = (f: ForumNames) => keys(f).some((k) => vs.includes(k));
        const contains = (f: ForumNames) => names(f).some((n) => vs.some((v) => n.includes(v)));
        if (result.ok) {
          const f = FORUMS.find((x) => x.id === result.forumId)!;
          const others = FORUMS.filter((x) => x !== f);
          expect(exactly(f) || (contains(f) && !others.some(contains))).toBe(true);
          expect(others.some(exactly)).toBe(false);
        } else if (result.code === 'ambiguous_forum') {
          expect(result.candidates.length).toBeGreaterThan(1);
          for (const id of result.candidates) expect(contains(FORUMS.find((x) => x.id === id)!)).toBe(true);
        } else {
          expect(FORUMS.some(exactly)).toBe(false);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['材料', { ok: false, code: 'ambiguous_forum', candidates: ['materials', 'matsci'] }],
    ['新材料', { ok: true, forumId: 'materials' }],
    ['科学', { ok: true, forumId: 'matsci' }],
    ['werkstoff', { ok: true, forumId: 'materials' }],
    ['ＲＯＯＭ ３０５', { ok: true, forumId: 'it' }],
    ['t', { ok: false, code: 'unknown_forum', candidates: [] }], // too short to be part of a name
    ['Astrology', { ok: false, code: 'unknown_forum', candidates: [] }],
    ['', { ok: false, code: 'unknown_forum', candidates: [] }],
  ])('%s', (value, expected) => {
    expect(match(value)).toEqual(expected);
  });

  it('材料 matches 新材料 when no other forum has it in its name', () => {
    expect(forumMatcher(FORUMS.filter((f) => f.id !== 'matsci'))('材料')).toEqual({ ok: true, forumId: 'materials' });
  });
});

describe('list names', () => {
  it('fold to one list; empty or too long is refused; the default comes from the preset or the file', () => {
    expect(listKey('Eventbrite')).toBe(listKey('ＥＶＥＮＴＢＲＩＴＥ'));
    expect(cleanListName('  VIP   guests ')).toBe('VIP guests');
    expect(cleanListName('   ')).toBeNull();
    expect(cleanListName('---')).toBeNull();
    expect(cleanListName('x'.repeat(101))).toBeNull();
    expect(defaultListName('export.csv', 'eventbrite')).toBe('Eventbrite');
    expect(defaultListName('C:\\Users\\Li\\研究所名单.xlsx', '')).toBe('研究所名单');
    expect(defaultListName('institutes.2026.csv', 'generic')).toBe('institutes.2026');
  });
});

describe('detectPreset', () => {
  it.each([
    ['Order #,First Name,Last Name,Email,Ticket Type,Barcode #,Company,Attendee Status', 'eventbrite'],
    ['Order code,Attendee name,Product,Secret,E-mail,Company,Requires special attention', 'pretix'],
    ['ID,Name,First Name,Last Name,Email,Affiliation,Phone,Registration state', 'indico'],
    ['First Name,Last Name,Email', ''], // shared by several systems: no guess
    ['姓名,单位,邮箱,票号,分论坛', ''],
  ])('%s → %s', (headers, preset) => {
    expect(detectPreset(headers.split(','))).toBe(preset);
  });
});

describe('planListReplacement', () => {
  it('members missing from the file leave; only those on no other list and not walk-ins are removed', () => {
    const member = fc.record({
      id: fc.string({ minLength: 1, maxLength: 4 }),
      otherLists: fc.nat(3),
      walkIn: fc.boolean(),
      removed: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(member, { selector: (m) => m.id, maxLength: 30 }),
        fc.array(fc.string({ maxLength: 4 })),
        (members, file) => {
          const inFile = new Set(file);
          const { leaving, removals } = planListReplacement(members, inFile);
          expect(leaving).toEqual(members.filter((m) => !inFile.has(m.id)).map((m) => m.id));
          const expected = members.filter((m) => !inFile.has(m.id) && m.otherLists === 0 && !m.walkIn && !m.removed);
          expect(removals).toEqual(expected.map((m) => m.id));
        },
      ),
    );
  });
});
