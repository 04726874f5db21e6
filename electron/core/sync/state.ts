import type { MetaStore } from '../meta.ts';
import type { SecretBox } from '../secrets.ts';

/** The last round's failure, as staff and `lanyard status` see it. */
export interface SyncError {
  code: string;
  message: string;
}

/**
 * The kiosk's sync state, kept in meta under `sync_…` (the server's URL, the sealed token, the event, the
 * watermark the server acknowledged, the last outcome), so `lanyard status` in a new process sees what the
 * app saw.
 */
export class SyncState {
  private readonly meta: MetaStore;
  private readonly secrets: SecretBox;

  constructor(meta: MetaStore, secrets: SecretBox) {
    this.meta = meta;
    this.secrets = secrets;
  }

  get(key: string): string | null {
    return this.meta.get(`sync_${key}`);
  }

  set(key: string, value: string | number): void {
    this.meta.set(`sync_${key}`, String(value));
  }

  /** Kept in meta, so `lanyard status` in a new process still shows why the last round failed. */
  get lastError(): SyncError | null {
    const raw = this.get('last_error');
    return raw === null || raw === '' ? null : (JSON.parse(raw) as SyncError);
  }

  set lastError(error: SyncError | null) {
    if (error !== null || this.get('last_error')) this.set('last_error', error === null ? '' : JSON.stringify(error));
  }

  get paired(): boolean {
    return this.get('token') !== null && this.get('url') !== null;
  }

  get needsReauth(): boolean {
    return this.get('reauth') === '1';
  }

  /** The device token, unsealed; a token this machine cannot open means pairing again (kept offline). */
  token(): string | null {
    const sealed = this.get('token');
    if (sealed === null) return null;
    try {
      return this.secrets.open(sealed);
    } catch (error) {
      this.set('reauth', '1');
      this.lastError = {
        code: 'sync_reauth',
        message: `the stored server token cannot be opened here: ${(error as Error).message}`,
      };
      return null;
    }
  }

  /** This device's facts the server acknowledged, through this sequence number. */
  acked(): number {
    return Number(this.get('acked') ?? '0');
  }
}
