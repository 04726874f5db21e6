import { create } from 'zustand';
import type { LanyardError } from '../../shared/result.ts';
import type { SelfServiceAnswer, SelfServiceStatus } from '../../shared/self-service/schemas.ts';
import { api } from './api/client.ts';
import { useStaff } from './staff-store.ts';
import { useKiosk } from './store.ts';

/** An answer on the guests' screen; `id` is new for each, so the same guest scanned again shows afresh. */
export type ShownAnswer = SelfServiceAnswer & { id: number };

interface SelfServiceState {
  /** null until the core has answered: nothing is drawn before, so a reload never shows the staff's door. */
  active: boolean | null;
  lookupLockSeconds: number;
  pinLockSeconds: number;
  answer: ShownAnswer | null;
  /** A lookup that needs the guest to wait (locked) or says why it was refused. */
  error: LanyardError | null;
  refresh(): Promise<void>;
  /** After the mode changed: the mode, the staff session and the door's lists read again. */
  handOver(): Promise<void>;
  stop(pin: string): Promise<LanyardError | null>;
  scan(code: string): Promise<void>;
  findMe(name: string, fact: string): Promise<boolean>;
  dismiss(): void;
}

let answerSeq = 0;

export const useSelfService = create<SelfServiceState>()((set, get) => {
  const took = (status: SelfServiceStatus) =>
    set({ active: status.active, lookupLockSeconds: status.lookupLockSeconds, pinLockSeconds: status.pinLockSeconds });
  const show = async (result: Awaited<ReturnType<(typeof api)['selfService.scan']>>) => {
    if (result.ok) {
      set({ answer: { ...result.value, id: ++answerSeq }, error: null });
      return;
    }
    // Switched off elsewhere (the CLI), or a lookup locked: read the mode and the locks again.
    set({ error: result.error, answer: null });
    await get().refresh();
  };

  return {
    active: null,
    lookupLockSeconds: 0,
    pinLockSeconds: 0,
    answer: null,
    error: null,

    async refresh() {
      const result = await api['selfService.status']({});
      if (result.ok) took(result.value);
      else set({ active: false }); // a kiosk that cannot say (no database) has no self-service to show
    },

    async handOver() {
      set({ answer: null, error: null });
      await get().refresh();
      // The staff's screens read the session and the lists again: they change hands with the mode.
      await useStaff.getState().refresh();
      await useKiosk.getState().refreshStatus();
    },

    async stop(pin) {
      const result = await api['selfService.stop']({ pin });
      if (!result.ok) {
        await get().refresh(); // a wrong PIN may have locked PIN entry
        return result.error;
      }
      took(result.value);
      await get().handOver();
      return null;
    },

    async scan(code) {
      await show(await api['selfService.scan']({ code }));
    },

    async findMe(name, fact) {
      const result = await api['selfService.findMe']({ name, fact });
      await show(result);
      return result.ok;
    },

    dismiss() {
      set({ answer: null, error: null });
    },
  };
});
