import { useEffect } from 'react';
import { create } from 'zustand';
import type { LanyardError } from '../../shared/result.ts';
import type { ConflictList, SyncStatus } from '../../shared/sync/status.ts';
import { api } from './api/client.ts';
import { useKiosk } from './store.ts';

/** How long a pairing may stay without an answer before the dialog gives up waiting. */
const PAIRING_TIMEOUT_MS = 120_000;

/** Pairing as the Connect dialog sees it: idle, waiting for the background pairing, or failed. */
export type PairingProgress =
  | { phase: 'idle' }
  | { phase: 'waiting'; since: number; attemptBefore: string | null }
  | { phase: 'failed'; error: { code: string; message: string } };

/** Central-server sync: the status the door screen always shows, pairing, the conflicts list. */
interface SyncStoreState {
  status: SyncStatus | null;
  conflicts: ConflictList | null;
  dialogOpen: boolean;
  pairing: PairingProgress;
  /** The last failure of a call made from the UI (sync.now, markReviewed), for display. */
  actionError: LanyardError | null;
  refresh(): Promise<void>;
  openDialog(open: boolean): void;
  pair(url: string, code: string): Promise<void>;
  syncNow(): Promise<void>;
  loadConflicts(): Promise<void>;
  markReviewed(kind: 'duplicate' | 'forum', guestId: string): Promise<void>;
}

/** "10.0.0.5:8080" typed without a scheme means plain HTTP on the venue network. */
export function withScheme(url: string): string {
  const trimmed = url.trim();
  return /^https?:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
}

export const useSync = create<SyncStoreState>()((set, get) => {
  /** Calls that answer with a status are numbered: an older answer arriving late is dropped. */
  let requestSeq = 0;
  let acceptedSeq = 0;
  /** The number of the `sync.pair` call: only answers to later (or that) calls tell how it went. */
  let pairSeq = Number.MAX_SAFE_INTEGER;

  /** Takes a fresh status; follows a pairing in flight and refreshes the door after new data arrived. */
  const accept = (next: SyncStatus, seq: number): void => {
    if (seq < acceptedSeq) return;
    acceptedSeq = seq;
    const previous = get().status;
    const { pairing } = get();
    const patch: Partial<SyncStoreState> = { status: next };
    if (pairing.phase === 'waiting' && seq >= pairSeq) {
      // A successful pairing goes straight into a first sync round (a new attempt); a failed one
      // leaves lastError without any. A kiosk paired before keeps its old state while re-pairing.
      const syncedSince = next.state === 'syncing' || next.lastAttemptAt !== pairing.attemptBefore;
      const connected = next.paired && next.state !== 'pairing' && next.state !== 'reauth';
      if (connected && syncedSince) {
        patch.pairing = { phase: 'idle' };
        patch.dialogOpen = false;
      } else if (next.state !== 'pairing' && next.lastError !== null && !syncedSince) {
        patch.pairing = { phase: 'failed', error: next.lastError };
      } else if (Date.now() - pairing.since > PAIRING_TIMEOUT_MS) {
        patch.pairing = { phase: 'failed', error: { code: 'timeout', message: 'no answer from the server' } };
      }
    }
    set(patch);
    // A pairing brings the event's package; a sync round brings other doors' check-ins.
    if (previous !== null && (previous.eventId !== next.eventId || previous.lastSyncAt !== next.lastSyncAt)) {
      const kiosk = useKiosk.getState();
      if (kiosk.status?.event == null || previous.eventId !== next.eventId) void kiosk.refreshStatus();
      else void kiosk.refreshLists();
    }
  };

  return {
    status: null,
    conflicts: null,
    dialogOpen: false,
    pairing: { phase: 'idle' },
    actionError: null,

    async refresh() {
      const seq = ++requestSeq;
      const r = await api['sync.status']({});
      if (r.ok) accept(r.value, seq);
    },

    openDialog(open) {
      const { pairing } = get();
      set({ dialogOpen: open, actionError: null, pairing: pairing.phase === 'failed' ? { phase: 'idle' } : pairing });
    },

    async pair(url, code) {
      const attemptBefore = get().status?.lastAttemptAt ?? null;
      set({ pairing: { phase: 'waiting', since: Date.now(), attemptBefore }, actionError: null });
      const seq = ++requestSeq;
      pairSeq = seq;
      const r = await api['sync.pair']({ url: withScheme(url), code: code.replace(/\s+/g, '') });
      if (!r.ok) {
        set({ pairing: { phase: 'failed', error: r.error } });
        return;
      }
      // The answer is the status right after pairing started (pairing clears lastError).
      accept(r.value, seq);
    },

    async syncNow() {
      const seq = ++requestSeq;
      const r = await api['sync.now']({});
      if (r.ok) accept(r.value, seq);
      set({ actionError: r.ok ? null : r.error });
    },

    async loadConflicts() {
      const r = await api['sync.conflicts']({});
      if (r.ok) set({ conflicts: r.value });
    },

    async markReviewed(kind, guestId) {
      const r = await api['sync.markReviewed']({ kind, guestId });
      if (r.ok) set({ conflicts: r.value, actionError: null });
      else set({ actionError: r.error });
      await get().refresh();
    },
  };
});

const POLL_MS = 2000;
const PAIRING_POLL_MS = 500;

/** Polls `sync.status` (cheap) while the app is shown; faster while a pairing is in flight. */
export function useSyncPolling(): void {
  const waiting = useSync((s) => s.pairing.phase === 'waiting');
  const refresh = useSync((s) => s.refresh);
  useEffect(() => {
    void refresh();
    const timer = window.setInterval(() => void refresh(), waiting ? PAIRING_POLL_MS : POLL_MS);
    return () => window.clearInterval(timer);
  }, [refresh, waiting]);
}
