import { createHmac, createSecretKey, randomBytes, randomInt, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import {
  MAX_DEVICE_NUMBER,
  MAX_GENERATION,
  MAX_SERIAL,
  formatRosterCode,
  formatWalkInCode,
  rosterMessage,
  tagDigits,
  walkInGuestId,
  walkInMessage,
  type ShortCode,
} from '../../../../shared/codes/short.ts';
import type { CodeCheck } from '../../../../shared/domain.ts';
import { LanyardFailure } from '../../../../shared/result.ts';
import { createLogger } from '../../log.ts';
import type { MetaStore } from '../../meta.ts';
import type { SecretBox } from '../../secrets.ts';
import { indexRosterCodes, startRosterCodeIndexer } from './roster-code-index.ts';

const log = createLogger('short-codes');

export type SecretStatus = 'active' | 'revoked' | 'retired';

/** A code secret as it travels in the event package (to paired kiosks only; see docs/badge-codes.md). */
export interface CodeSecretExport {
  generation: number;
  secret: string; // 64 hex digits
  status: SecretStatus;
}

/** What a short code is, as far as this kiosk can tell; guestId is set only when valid. */
export interface ShortCheck {
  valid: boolean;
  reason: CodeCheck['reason'];
  detail: string;
  kind: ShortCode['kind'];
  generation: number;
  guestId: string | null;
}

interface Generation {
  secret: Buffer | null;
  key: KeyObject | null;
  status: SecretStatus;
}

interface SecretRow {
  generation: number;
  sealed_secret: string;
  status: SecretStatus;
}

/**
 * Format 2 badge codes (≤ 36 digits): a roster badge is an HMAC of the guest's id under the event's
 * code secret, found again through an index of the roster's codes; a walk-in badge carries the issuing
 * kiosk's number and serial, so any kiosk holding the secret admits it before the walk-in has synced.
 * The secrets are sealed at rest with the kiosk's secret box and held open in memory only.
 */
export class ShortCodeService {
  private readonly db: Database;
  private readonly meta: MetaStore;
  private readonly box: SecretBox;
  private readonly eventTagHex: () => string;
  private readonly now: () => number;
  private readonly indexLookup: Statement<[string], { guest_id: string }>;
  private readonly guestExists: Statement<[string], { n: number }>;
  private readonly notYetOnRoster: (guestId: string) => boolean;

  /**
   * `notYetOnRoster`: guests whose codes are not indexed yet (a big import's while it writes them,
   * GuestStore.isPending): neither the background indexer nor a scan's look-up spends time on them.
   */
  constructor(
    db: Database,
    meta: MetaStore,
    box: SecretBox,
    eventTagHex: () => string,
    now: () => number,
    notYetOnRoster: (guestId: string) => boolean = () => false,
  ) {
    this.db = db;
    this.meta = meta;
    this.box = box;
    this.eventTagHex = eventTagHex;
    this.now = now;
    this.notYetOnRoster = notYetOnRoster;
    this.indexLookup = db.prepare(`SELECT guest_id FROM roster_code_index WHERE code = ?`);
    this.guestExists = db.prepare(`SELECT count(*) AS n FROM guests WHERE id = ?`);
  }

  // Opened secrets by generation, and their statuses; reloaded after every change made here.
  private cache: Map<number, Generation> | null = null;

  private generations(): Map<number, Generation> {
    if (this.cache !== null) return this.cache;
    const rows = this.db.prepare(`SELECT * FROM code_secrets ORDER BY generation`).all() as SecretRow[];
    this.cache = new Map(
      rows.map((r) => {
        let secret: Buffer | null = null;
        try {
          secret = Buffer.from(this.box.open(r.sealed_secret), 'hex');
        } catch (error) {
          // Sealed on another machine or with a lost key: codes of this generation cannot be checked here.
          log.warn('a code secret cannot be opened', { generation: r.generation, error: String(error) });
        }
        // A KeyObject, parsed once: HMAC with it costs a quarter of HMAC with raw key bytes.
        return [r.generation, { secret, key: secret === null ? null : createSecretKey(secret), status: r.status }];
      }),
    );
    return this.cache;
  }

  private store(generation: number, secret: Buffer, status: SecretStatus): void {
    this.db
      .prepare(
        `INSERT INTO code_secrets (generation, sealed_secret, status, created_ms) VALUES (?, ?, ?, ?)
         ON CONFLICT (generation) DO UPDATE SET sealed_secret = excluded.sealed_secret, status = excluded.status`,
      )
      .run(generation, this.box.seal(secret.toString('hex')), status, this.now());
    // Codes indexed under a secret this generation no longer has must not admit anyone.
    const prefix = formatRosterCode(generation, '').slice(0, 4);
    this.db.prepare(`DELETE FROM roster_code_index WHERE code >= ? AND code < ?`).run(prefix, `${prefix}:`);
    this.db.prepare(`DELETE FROM roster_code_coverage WHERE generation = ?`).run(generation);
    this.cache = null;
  }

  /** The newest active generation, made (generation 1) when the event has none yet. */
  private issuingGeneration(): { generation: number; secret: KeyObject } {
    const active = [...this.generations()].filter(([, g]) => g.status === 'active' && g.key !== null);
    if (active.length > 0) {
      const [generation, g] = active[active.length - 1]!;
      return { generation, secret: g.key! };
    }
    if (this.generations().size > 0) {
      throw new LanyardFailure('internal', 'this kiosk holds no usable code secret; rotate or re-pair');
    }
    this.ensureSecret();
    return this.issuingGeneration();
  }

  /** Makes generation 1 if the event has no code secret yet (with the event's keys; idempotent). */
  ensureSecret(): void {
    if (this.generations().size === 0) this.store(1, randomBytes(32), 'active');
  }

  /** A new generation: new badges are made with it; older active ones keep verifying. */
  rotate(): number {
    const generation = Math.max(0, ...this.generations().keys()) + 1;
    if (generation > MAX_GENERATION) throw new LanyardFailure('invalid_input', 'all 99 code generations are used');
    this.store(generation, randomBytes(32), 'active');
    return generation;
  }

  setStatus(generation: number, status: SecretStatus): void {
    if (!this.generations().has(generation))
      throw new LanyardFailure('invalid_input', `no code generation ${generation}`);
    this.db.prepare(`UPDATE code_secrets SET status = ? WHERE generation = ?`).run(status, generation);
    this.cache = null;
  }

  list(): Array<{ generation: number; status: SecretStatus; usable: boolean }> {
    return [...this.generations()].map(([generation, g]) => ({ generation, status: g.status, usable: !!g.secret }));
  }

  /** For the event package: every generation this kiosk can open, with its status. */
  exportSecrets(): CodeSecretExport[] {
    this.ensureSecret();
    return [...this.generations()]
      .filter(([, g]) => g.secret !== null)
      .map(([generation, g]) => ({ generation, secret: g.secret!.toString('hex'), status: g.status }));
  }

  /** From the event package: the organiser's generations win over any this kiosk made alone. */
  installSecrets(secrets: readonly CodeSecretExport[]): void {
    for (const s of secrets) {
      const have = this.generations().get(s.generation);
      const secret = Buffer.from(s.secret, 'hex');
      if (have?.secret?.equals(secret) === true) {
        if (have.status !== s.status && have.status !== 'retired') this.setStatus(s.generation, s.status);
      } else this.store(s.generation, secret, s.status);
    }
  }

  private tag(secret: KeyObject, message: Uint8Array): string {
    return tagDigits(createHmac('sha256', secret).update(message).digest());
  }

  rosterCode(guestId: string): string {
    const { generation, secret } = this.issuingGeneration();
    return formatRosterCode(generation, this.tag(secret, rosterMessage(this.eventTagHex(), guestId)));
  }

  /** A walk-in's code and guest id: this kiosk's walk-in number and its next serial. The caller holds the transaction. */
  nextWalkIn(): { code: string; guestId: string } {
    const { generation, secret } = this.issuingGeneration();
    // Random per kiosk: two kiosks of one event share a number with probability n²/2·10⁻⁷ (20 kiosks: 2·10⁻⁵).
    const device = Number(this.meta.getOrCreate('walk_in_device', () => String(randomInt(0, MAX_DEVICE_NUMBER + 1))));
    const serial = Number(this.meta.get('walk_in_serial') ?? '0') + 1;
    if (serial > MAX_SERIAL) throw new LanyardFailure('internal', 'this kiosk has used all its walk-in numbers');
    this.meta.set('walk_in_serial', String(serial));
    const tag = this.tag(secret, walkInMessage(this.eventTagHex(), device, serial));
    return { code: formatWalkInCode(generation, device, serial, tag), guestId: walkInGuestId(device, serial) };
  }

  /** Indexes the roster codes of guests added since the last time under `generation`. */
  private refreshIndex(generation: number, secret: KeyObject, limit = -1): number {
    const tagHex = this.eventTagHex();
    return indexRosterCodes(
      this.db,
      generation,
      (guestId) => formatRosterCode(generation, this.tag(secret, rosterMessage(tagHex, guestId))),
      limit,
      this.notYetOnRoster,
    );
  }

  /**
   * Indexes up to `budget` guests' roster codes (every generation that admits), so a scan rarely has to:
   * the kiosk runs this in small slices between scans after any roster change. Returns how many it did.
   */
  indexSome(budget: number): number {
    let done = 0;
    for (const [generation, g] of this.generations()) {
      if (g.key === null || g.status === 'retired' || done >= budget) continue;
      done += this.refreshIndex(generation, g.key, budget - done);
    }
    return done;
  }

  /** Indexes the roster in slices of about `budgetMs` between scans until stopped (roster-code-index.ts). */
  startIndexer(budgetMs = 3, idleMs = 2_000): () => void {
    return startRosterCodeIndexer(this.db, (slice) => this.indexSome(slice), budgetMs, idleMs);
  }

  /**
   * Checks a code laid out as format 2. Roster codes: found in the index of this kiosk's roster (an
   * unknown one is indistinguishable from a forgery). Walk-in codes: the tag verifies. A revoked
   * generation (a lost kiosk held it) still admits roster badges, which the thief could copy from the
   * roster anyway, but no walk-in this kiosk has not already got through sync; a retired one admits nothing.
   */
  check(code: string, parsed: ShortCode): ShortCheck {
    const base = { kind: parsed.kind, generation: parsed.generation, guestId: null };
    const fail = (reason: CodeCheck['reason'], detail: string): ShortCheck => ({
      valid: false,
      reason,
      detail,
      ...base,
    });
    const gen = this.generations().get(parsed.generation);
    if (gen === undefined || gen.key === null)
      return fail('unknown_key', `code generation ${parsed.generation} is not known to this kiosk`);
    if (gen.status === 'retired') return fail('retired_key', `code generation ${parsed.generation} was retired`);
    if (parsed.kind === 'walk_in') {
      if (gen.status === 'revoked')
        return fail('revoked_key', `code generation ${parsed.generation} was revoked (a lost kiosk held it)`);
      const expected = this.tag(gen.key, walkInMessage(this.eventTagHex(), parsed.device, parsed.serial));
      if (!timingSafeEqual(Buffer.from(expected), Buffer.from(parsed.tag)))
        return fail('bad_signature', 'the tag does not match: the code was altered or forged');
      return { ...base, valid: true, reason: 'ok', detail: '', guestId: walkInGuestId(parsed.device, parsed.serial) };
    }
    let guestId = this.indexLookup.get(code)?.guest_id;
    if (guestId === undefined) {
      this.refreshIndex(parsed.generation, gen.key);
      guestId = this.indexLookup.get(code)?.guest_id;
    }
    if (guestId === undefined || this.guestExists.get(guestId)!.n === 0)
      return fail('bad_signature', "the code is no guest's badge on this kiosk: altered, forged or not yet synced");
    return { ...base, valid: true, reason: 'ok', detail: '', guestId };
  }
}
