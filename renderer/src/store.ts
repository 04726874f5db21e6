import { create } from 'zustand';
import type { MethodOutput } from '../../shared/contract.ts';
import type { Guest, RecentCheckin, ScanResult, Stats } from '../../shared/domain.ts';
import { pickLocale, type Locale } from '../../shared/i18n/index.ts';
import type { LanyardError, Result } from '../../shared/result.ts';
import { api } from './api/client.ts';

export type AppStatus = MethodOutput<'app.status'>;
export type View = 'door' | 'forums' | 'roster' | 'conflicts' | 'staff' | 'settings';

/**
 * When an answer was given: `id` is new for every answer (a repeat of the same answer is still a new
 * banner), `at` is the wall clock for "12 s ago" and the fade, `startedAt` the Enter key (performance.now)
 * and `firstKeyAt` a scanner's first key, for the latency figures the page exposes.
 */
export interface BannerStamp {
  id: number;
  at: number;
  startedAt: number;
  firstKeyAt: number;
}

export type Banner = BannerStamp &
  ({ kind: 'scan'; result: ScanResult } | { kind: 'undone'; guest: Guest } | { kind: 'error'; error: LanyardError });

let bannerSeq = 0;
/** A fresh stamp for an answer to a scan that started at `startedAt` (first key at `firstKeyAt`). */
export function stamp(startedAt: number, firstKeyAt: number = startedAt): BannerStamp {
  return { id: ++bannerSeq, at: Date.now(), startedAt, firstKeyAt };
}

/** After this many seconds an answer fades to neutral, so a stale green is never taken for a fresh one. */
export const DEFAULT_BANNER_FADE_SECONDS = 15;
const FADE_KEY = 'lanyard.bannerFadeSeconds';
function initialFadeSeconds(): number {
  const saved = Number(localStorage.getItem(FADE_KEY));
  return Number.isFinite(saved) && saved >= 3 && saved <= 600 ? saved : DEFAULT_BANNER_FADE_SECONDS;
}

interface KioskState {
  locale: Locale;
  status: AppStatus | null;
  fatal: LanyardError | null;
  banner: Banner | null;
  query: string;
  results: Guest[];
  selected: number;
  recent: RecentCheckin[];
  stats: Stats | null;
  walkInOpen: boolean;
  view: View;
  bannerFadeSeconds: number;
  setBannerFadeSeconds(seconds: number): void;
  /** The banner the "scanned in another view" overlay was closed for. */
  overlayDismissed: number;
  dismissOverlay(): void;
  setView(view: View): void;
  /** Replaces a guest shown on screen (banner, results) after a change such as a forum assignment. */
  updateGuest(guest: Guest): void;
  setLocale(locale: Locale): void;
  refreshStatus(): Promise<void>;
  loadDemo(): Promise<void>;
  search(query: string): Promise<void>;
  select(index: number): void;
  scan(code: string, startedAt: number, firstKeyAt?: number): Promise<void>;
  checkIn(guestId: string, startedAt: number): Promise<void>;
  undo(checkinId: string): Promise<void>;
  walkIn(input: {
    name: string;
    organization: string;
    email: string;
    role: Guest['role'];
  }): Promise<LanyardError | null>;
  setWalkInOpen(open: boolean): void;
  refreshLists(): Promise<void>;
}

const LOCALE_KEY = 'lanyard.locale';

function initialLocale(): Locale {
  const saved = localStorage.getItem(LOCALE_KEY);
  if (saved === 'zh-CN' || saved === 'en' || saved === 'de') return saved;
  return pickLocale(navigator.languages);
}

let searchSeq = 0;
/** Answers arriving for an older scan than the last one never replace the last one's banner. */
let answerSeq = 0;

export const useKiosk = create<KioskState>()((set, get) => {
  const showScan = (result: Result<ScanResult>, startedAt: number, firstKeyAt = startedAt): void => {
    if (!result.ok) {
      set({ banner: { kind: 'error', error: result.error, ...stamp(startedAt, firstKeyAt) } });
      return;
    }
    set({
      banner: { kind: 'scan', result: result.value, ...stamp(startedAt, firstKeyAt) },
      query: '',
      results: [],
      selected: 0,
    });
    void get().refreshLists();
  };

  return {
    locale: initialLocale(),
    status: null,
    fatal: null,
    banner: null,
    query: '',
    results: [],
    selected: 0,
    recent: [],
    stats: null,
    walkInOpen: false,
    view: 'door',
    bannerFadeSeconds: initialFadeSeconds(),
    overlayDismissed: 0,

    setBannerFadeSeconds(seconds) {
      const clamped = Math.min(600, Math.max(3, Math.round(seconds)));
      localStorage.setItem(FADE_KEY, String(clamped));
      set({ bannerFadeSeconds: clamped });
    },

    dismissOverlay() {
      set({ overlayDismissed: get().banner?.id ?? 0 });
    },

    setView(view) {
      set({ view });
    },

    updateGuest(guest) {
      const { banner, results } = get();
      const patch: Partial<KioskState> = { results: results.map((g) => (g.id === guest.id ? guest : g)) };
      if (banner?.kind === 'scan' && banner.result.guest?.id === guest.id) {
        patch.banner = { ...banner, result: { ...banner.result, guest } };
      }
      set(patch);
    },

    setLocale(locale) {
      localStorage.setItem(LOCALE_KEY, locale);
      document.documentElement.lang = locale;
      set({ locale });
      // Kept with the kiosk too, for what it writes without a screen (lanyard export). Refused only
      // while nobody is signed in: the screen's own choice above stands either way.
      void api['device.setLanguage']({ language: locale });
    },

    async refreshStatus() {
      const result = await api['app.status']({});
      if (!result.ok) {
        set({ fatal: result.error });
        return;
      }
      set({ status: result.value, fatal: null });
      if (result.value.event !== null) await get().refreshLists();
    },

    async loadDemo() {
      const result = await api['event.loadDemo']({});
      if (!result.ok) set({ fatal: result.error });
      await get().refreshStatus();
    },

    async search(query) {
      const seq = ++searchSeq;
      set({ query });
      if (query.trim().length === 0) {
        set({ results: [], selected: 0 });
        return;
      }
      const result = await api['guests.search']({ query, limit: 12 });
      // Results of an older keystroke that arrive late must not replace newer ones.
      if (seq !== searchSeq) return;
      set({ results: result.ok ? result.value.results : [], selected: 0 });
    },

    select(index) {
      const { results } = get();
      if (results.length === 0) return;
      set({ selected: (index + results.length) % results.length });
    },

    async scan(code, startedAt, firstKeyAt) {
      searchSeq++; // cancels a search in flight: a scan clears the list
      const seq = ++answerSeq;
      const result = await api['guests.scan']({ code });
      if (seq === answerSeq) showScan(result, startedAt, firstKeyAt);
    },

    async checkIn(guestId, startedAt) {
      searchSeq++;
      const seq = ++answerSeq;
      const result = await api['guests.checkIn']({ guestId });
      if (seq === answerSeq) showScan(result, startedAt);
    },

    async undo(checkinId) {
      const startedAt = performance.now();
      const result = await api['checkins.undo']({ checkinId });
      if (!result.ok) set({ banner: { kind: 'error', error: result.error, ...stamp(startedAt) } });
      else set({ banner: { kind: 'undone', guest: result.value.guest, ...stamp(startedAt) } });
      await get().refreshLists();
    },

    async walkIn(input) {
      const startedAt = performance.now();
      const result = await api['guests.walkIn'](input);
      if (!result.ok) return result.error;
      set({ walkInOpen: false });
      showScan(result, startedAt);
      return null;
    },

    setWalkInOpen(open) {
      set({ walkInOpen: open });
    },

    async refreshLists() {
      const [recent, stats] = await Promise.all([api['checkins.recent']({ limit: 8 }), api['stats.get']({})]);
      set({ recent: recent.ok ? recent.value.items : [], stats: stats.ok ? stats.value : null });
    },
  };
});
