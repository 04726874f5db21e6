import { create } from 'zustand';
import type { MethodOutput } from '../../shared/contract.ts';
import type { Guest, RecentCheckin, ScanResult, Stats } from '../../shared/domain.ts';
import { pickLocale, type Locale } from '../../shared/i18n/index.ts';
import type { LanyardError, Result } from '../../shared/result.ts';
import { api } from './api/client.ts';

export type AppStatus = MethodOutput<'app.status'>;
export type View = 'door' | 'forums' | 'roster' | 'conflicts' | 'staff';

export type Banner =
  | { kind: 'scan'; result: ScanResult; startedAt: number }
  | { kind: 'undone'; guest: Guest; startedAt: number }
  | { kind: 'error'; error: LanyardError; startedAt: number };

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
  setView(view: View): void;
  /** Replaces a guest shown on screen (banner, results) after a change such as a forum assignment. */
  updateGuest(guest: Guest): void;
  setLocale(locale: Locale): void;
  refreshStatus(): Promise<void>;
  loadDemo(): Promise<void>;
  search(query: string): Promise<void>;
  select(index: number): void;
  scan(code: string, startedAt: number): Promise<void>;
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

export const useKiosk = create<KioskState>()((set, get) => {
  const showScan = (result: Result<ScanResult>, startedAt: number): void => {
    if (!result.ok) {
      set({ banner: { kind: 'error', error: result.error, startedAt } });
      return;
    }
    set({ banner: { kind: 'scan', result: result.value, startedAt }, query: '', results: [], selected: 0 });
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

    async scan(code, startedAt) {
      searchSeq++; // cancels a search in flight: a scan clears the list
      showScan(await api['guests.scan']({ code }), startedAt);
    },

    async checkIn(guestId, startedAt) {
      searchSeq++;
      showScan(await api['guests.checkIn']({ guestId }), startedAt);
    },

    async undo(checkinId) {
      const startedAt = performance.now();
      const result = await api['checkins.undo']({ checkinId });
      if (!result.ok) set({ banner: { kind: 'error', error: result.error, startedAt } });
      else set({ banner: { kind: 'undone', guest: result.value.guest, startedAt } });
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
