import type { SecretBox } from './secrets.ts';

/** How a kiosk is opened: by the Electron shell, `lanyard serve`, the CLI's one-off commands and the tests. */
export interface KioskOptions {
  dataDir: string;
  /** Wall clock in ms; injected so tests can skew it. */
  now: () => number;
  /** Seals the server token before it is stored (OS keychain in Electron, a key file on the CLI). */
  secrets: SecretBox;
  /** A repeat of the same code within this many ms is the same scan (default 2 s; 0 turns it off). */
  sameScanWindowMs?: number;
  /**
   * The app (Electron, `lanyard serve`) holds a lock file in the data directory while it has the database
   * open, so `lanyard restore` and `lanyard wipe` refuse meanwhile. One-off CLI commands do not.
   */
  appLock?: boolean;
  /** A migrated PGlite cluster a new venue hub starts from (tests: initdb in WASM takes seconds). */
  hubPgliteTemplate?: () => Promise<Blob | null>;
  /** Free space under which the door's top bar warns, in MB (default LOW_DISK_MB, shared/disk-space.ts). */
  lowDiskMb?: number;
}
