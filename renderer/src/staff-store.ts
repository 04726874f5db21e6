import { create } from 'zustand';
import type { LanyardError } from '../../shared/result.ts';
import type { StaffMember, StaffSession } from '../../shared/staff/schemas.ts';
import { api, handleRefusals } from './api/client.ts';
import { useKiosk } from './store.ts';

/** Who is at the door (the core's staff session), the sign-in dialog and the supervisor prompt. */
interface StaffState {
  session: StaffSession | null;
  /** When the session was read (performance.now()), to count the approval and lockout down locally. */
  readAt: number;
  staff: StaffMember[];
  signInOpen: boolean;
  /** Calls waiting for a supervisor's PIN; each is retried (true) or given up (false). */
  waiting: Array<(approved: boolean) => void>;
  refresh(): Promise<void>;
  loadStaff(): Promise<void>;
  openSignIn(open: boolean): void;
  signIn(name: string, pin: string): Promise<LanyardError | null>;
  signOut(): Promise<void>;
  approve(pin: string): Promise<LanyardError | null>;
  cancelPrompt(): void;
  endApproval(): Promise<void>;
}

export const useStaff = create<StaffState>()((set, get) => {
  const settle = (approved: boolean) => {
    const waiting = get().waiting;
    set({ waiting: [] });
    for (const resolve of waiting) resolve(approved);
  };
  const took = async (result: { ok: boolean; error?: LanyardError }): Promise<LanyardError | null> => {
    await get().refresh(); // a wrong PIN may have started a lockout the dialog shows
    return result.ok ? null : result.error!;
  };

  handleRefusals(async (code) => {
    if (code === 'sign_in_required') {
      await get().refresh();
      return false;
    }
    await get().refresh();
    return new Promise<boolean>((resolve) => set({ waiting: [...get().waiting, resolve] }));
  });

  return {
    session: null,
    readAt: 0,
    staff: [],
    signInOpen: false,
    waiting: [],

    async refresh() {
      const result = await api['staff.session']({});
      if (result.ok) set({ session: result.value, readAt: performance.now() });
    },

    async loadStaff() {
      const result = await api['staff.list']({});
      if (result.ok) set({ staff: result.value.staff });
    },

    openSignIn(open) {
      set({ signInOpen: open });
      if (open) void get().loadStaff();
    },

    async signIn(name, pin) {
      const result = await api['staff.signIn']({ name, pin });
      const error = await took(result);
      if (error === null) {
        set({ signInOpen: false });
        await useKiosk.getState().refreshStatus(); // the lists that were refused before sign-in
      }
      return error;
    },

    async signOut() {
      settle(false);
      await api['staff.signOut']({});
      await get().refresh();
      await useKiosk.getState().refreshStatus();
    },

    async approve(pin) {
      const result = await api['staff.elevate']({ pin });
      const error = await took(result);
      if (error === null) settle(true);
      return error;
    },

    cancelPrompt() {
      settle(false);
    },

    async endApproval() {
      await api['staff.endElevation']({});
      await get().refresh();
    },
  };
});
