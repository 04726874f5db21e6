import { create } from 'zustand';
import type { ForumScanResult, ForumSeats, ForumStatus, Guest } from '../../shared/domain.ts';
import type { LanyardError } from '../../shared/result.ts';
import { api } from './api/client.ts';
import { stamp, useKiosk, type BannerStamp } from './store.ts';

/** Sub-forum state: live seats, the forum-door scan answer, the dashboard. */
interface ForumState {
  seats: ForumSeats[];
  dashboard: ForumStatus[];
  direction: 'in' | 'out';
  answer: ({ result: ForumScanResult } & BannerStamp) | null;
  refreshSeats(): Promise<void>;
  refreshDashboard(): Promise<void>;
  setDirection(direction: 'in' | 'out'): void;
  assign(guestId: string, forumId: string, overrideReason: string): Promise<{ guest: Guest } | { error: LanyardError }>;
  scan(code: string, startedAt: number, admitAnyway: boolean, firstKeyAt?: number): Promise<void>;
  clearAnswer(): void;
}

export const useForums = create<ForumState>()((set, get) => ({
  seats: [],
  dashboard: [],
  direction: 'in',
  answer: null,

  async refreshSeats() {
    const r = await api['forums.seats']({});
    if (r.ok) set({ seats: r.value.seats });
  },

  async refreshDashboard() {
    const r = await api['forums.list']({});
    if (r.ok) set({ dashboard: r.value.forums });
  },

  setDirection(direction) {
    set({ direction });
  },

  async assign(guestId, forumId, overrideReason) {
    const r = await api['forums.assign']({ guestId, forumId, overrideReason });
    await get().refreshSeats();
    if (!r.ok) return { error: r.error };
    useKiosk.getState().updateGuest(r.value.guest);
    return { guest: r.value.guest };
  },

  async scan(code, startedAt, admitAnyway, firstKeyAt) {
    const forumId = useKiosk.getState().status?.device?.forumDoor ?? '';
    const r = await api['forums.scan']({ code, forumId, direction: get().direction, admitAnyway });
    if (!r.ok) {
      useKiosk.setState({ banner: { kind: 'error', error: r.error, ...stamp(startedAt, firstKeyAt) } });
      return;
    }
    set({ answer: { result: r.value, ...stamp(startedAt, firstKeyAt) } });
    await get().refreshSeats();
  },

  clearAnswer() {
    set({ answer: null });
  },
}));
