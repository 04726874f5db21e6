import type { EventInfo, Role } from '../../../shared/domain.ts';
import type { EventSetup } from '../../../shared/event/setup.ts';
import type { GuestRecord } from '../guests/store.ts';
import {
  chineseFamilies,
  chineseGivens,
  chineseNames,
  englishFamilies,
  fixedLatinNames,
  englishGivens,
  frenchFamilies,
  frenchGivens,
  germanFamilies,
  germanGivens,
  japaneseNames,
  koreanNames,
  organizations,
  otherNames,
} from './names.ts';

/** mulberry32: a tiny seeded PRNG, so the demo roster (and its codes) is the same on every kiosk. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const demoEvent: EventInfo = {
  id: 'open-day-2026',
  name: {
    zh: '长三角国家技术创新中心全球创新伙伴开放日',
    en: 'Global Innovation Partner Open Day — Yangtze River Delta National Innovation Center',
    de: 'Global Innovation Partner Open Day – Yangtze River Delta National Innovation Center',
  },
  date: '2026-05-29',
  startsAt: '2026-05-29T09:00:00+08:00',
  endsAt: '2026-05-29T18:00:00+08:00',
  venue: {
    zh: '上海 · 长三角国家技术创新中心',
    en: 'Yangtze River Delta National Innovation Center, Shanghai',
    de: 'Yangtze River Delta National Innovation Center, Shanghai',
  },
  timezone: 'Asia/Shanghai',
  forums: [
    {
      id: 'biomed',
      name: { zh: '生物医药', en: 'Biomedicine', de: 'Biomedizin' },
      room: 'A101',
      capacity: 80,
      startsAt: '2026-05-29T14:00:00+08:00',
      endsAt: '2026-05-29T17:00:00+08:00',
      colour: '#c0392b',
    },
    {
      id: 'energy',
      name: { zh: '能源环保', en: 'Energy & Environmental Protection', de: 'Energie & Umweltschutz' },
      room: 'A203',
      capacity: 60,
      startsAt: '2026-05-29T14:00:00+08:00',
      endsAt: '2026-05-29T17:00:00+08:00',
      colour: '#27ae60',
    },
    {
      id: 'equipment',
      name: { zh: '装备制造', en: 'Equipment Manufacturing', de: 'Anlagen- und Maschinenbau' },
      room: 'B105',
      capacity: 60,
      startsAt: '2026-05-29T14:00:00+08:00',
      endsAt: '2026-05-29T17:00:00+08:00',
      colour: '#2c3e50',
    },
    {
      id: 'materials',
      name: { zh: '新材料', en: 'Materials', de: 'Werkstoffe' },
      room: 'B210',
      capacity: 50,
      startsAt: '2026-05-29T14:00:00+08:00',
      endsAt: '2026-05-29T17:00:00+08:00',
      colour: '#8e44ad',
    },
    {
      id: 'it',
      name: { zh: '信息技术', en: 'Information Technology', de: 'Informationstechnik' },
      room: 'C301',
      capacity: 100,
      startsAt: '2026-05-29T14:00:00+08:00',
      endsAt: '2026-05-29T17:00:00+08:00',
      colour: '#2980b9',
    },
  ],
};

/** The demo as an organiser's form would give it: the same create path makes it (event/service.ts). */
export const demoSetup: EventSetup = {
  name: demoEvent.name,
  startsAt: '2026-05-29T09:00',
  endsAt: '2026-05-29T18:00',
  timezone: demoEvent.timezone,
  venue: demoEvent.venue,
  badgeSize: 'cr80',
  logoDataUrl: '',
};

interface NameParts {
  displayName: string;
  familyName: string;
  givenName: string;
  nativeName: string;
  latinName: string;
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function latin(given: string, family: string): NameParts {
  return { displayName: `${given} ${family}`, familyName: family, givenName: given, nativeName: '', latinName: '' };
}

/** Family-first names in their own script, with the Latin transcription kept alongside. */
function native(family: string, given: string, latinFamily: string, latinGiven: string, separator: string): NameParts {
  const nativeName = `${family}${separator}${given}`;
  return {
    displayName: nativeName,
    familyName: family,
    givenName: given,
    nativeName,
    latinName: `${latinFamily} ${latinGiven}`,
  };
}

function nameFor(random: () => number, index: number): NameParts {
  if (index < chineseNames.length) {
    const [han, family, given] = chineseNames[index]!;
    return native(han.slice(0, 1), han.slice(1), family, given, '');
  }
  const fixed = fixedLatinNames[index - chineseNames.length];
  if (fixed !== undefined) return latin(fixed[0], fixed[1]);
  const r = random();
  if (r < 0.45) {
    const [fh, fl] = pick(random, chineseFamilies);
    const [gh, gl] = pick(random, chineseGivens);
    return native(fh, gh, fl, gl, '');
  }
  if (r < 0.62) return latin(pick(random, germanGivens), pick(random, germanFamilies));
  if (r < 0.74) return latin(pick(random, englishGivens), pick(random, englishFamilies));
  if (r < 0.83) return latin(pick(random, frenchGivens), pick(random, frenchFamilies));
  if (r < 0.9) {
    const [f, g, lf, lg] = pick(random, japaneseNames);
    return native(f, g, lf, lg, '');
  }
  if (r < 0.94) {
    const [f, g, lf, lg] = pick(random, koreanNames);
    return native(f, g, lf, lg, '');
  }
  const [given, family] = pick(random, otherNames);
  return latin(given, family);
}

function emailFor(parts: NameParts, index: number): string {
  const source = parts.latinName.length > 0 ? parts.latinName : parts.displayName;
  const local = source
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z]+/g, '.')
    .replace(/^\.|\.$/g, '');
  return `${local}.${index}@example.org`;
}

/** 0–3 ranked choices among the demo forums; most guests name two or three, some none. */
function demoPreferences(random: () => number): string[] {
  const count = Math.floor(random() * 4);
  const ids = demoEvent.forums.map((f) => f.id);
  // Biomedicine and IT are the popular ones, so auto-assign has real contention to resolve.
  const weighted = [...ids, 'biomed', 'it', 'it'];
  const chosen: string[] = [];
  while (chosen.length < count) {
    const id = pick(random, weighted);
    if (!chosen.includes(id)) chosen.push(id);
  }
  return chosen;
}

/**
 * The demo roster: `count` guests, deterministic for a seed. Guest 0–2 are the Open Day's speakers
 * (刘青, 陆敏, 谭瑞聪); a few VIPs carry attention notes; every 37th guest has cancelled; one is blocked.
 */
export function generateRoster(count: number, seed: number): GuestRecord[] {
  const random = seededRandom(seed);
  const usedCodes = new Set<string>();
  const guests: GuestRecord[] = [];
  const width = Math.max(4, String(count).length);
  for (let i = 0; i < count; i++) {
    const parts = nameFor(random, i);
    let code: string;
    do code = String(100_000_000_000 + Math.floor(random() * 899_999_999_999));
    while (usedCodes.has(code));
    usedCodes.add(code);
    const role: Role =
      i < 3 ? 'speaker' : pick(random, ['guest', 'guest', 'guest', 'partner', 'partner', 'press', 'staff'] as const);
    const vip = i < 3 || i % 53 === 7;
    guests.push({
      id: `g${String(i + 1).padStart(width, '0')}`,
      ...parts,
      organization: i < 2 ? organizations[0]! : i === 2 ? organizations[1]! : pick(random, organizations),
      role: vip && i >= 3 ? 'vip' : role,
      email: emailFor(parts, i + 1),
      note: vip ? (i < 3 ? 'Speaker — escort to the front row' : 'VIP — notify the protocol desk') : '',
      vip,
      status: i % 37 === 36 ? 'cancelled' : i === 41 ? 'blocked' : 'active',
      walkIn: false,
      forumPreferences: demoPreferences(random),
      phone: '',
      source: 'demo',
      codes: [code],
    });
  }
  return guests;
}

/** Size of the demo roster offered on a fresh kiosk. */
export const DEMO_GUEST_COUNT = 300;
export const DEMO_SEED = 20260529;
