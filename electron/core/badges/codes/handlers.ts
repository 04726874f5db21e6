import type { Database } from 'better-sqlite3';
import type { Handlers, MethodOutput } from '../../../../shared/contract.ts';
import { ROSTER_CODE_LENGTH, WALK_IN_CODE_LENGTH, parseShortCode, wedgeMs } from '../../../../shared/codes/short.ts';
import { NO_CODE_DETAILS, type CodeCheck, type EventInfo } from '../../../../shared/domain.ts';
import { LanyardFailure } from '../../../../shared/result.ts';
import type { CodeService } from './signed-codes.ts';
import type { GuestStore } from '../../guests/store.ts';
import type { MetaStore } from '../../meta.ts';
import { readScan, type CodeSources } from './code-lookup.ts';
import type { ShortCheck, ShortCodeService } from './short-codes.ts';

const DETAILS_KEY = 'code_details';
const SLOW_WEDGE_MS_PER_KEY = 10;

export interface BadgeCodeDeps {
  db: Database;
  meta: MetaStore;
  guests: GuestStore;
  codes: CodeService;
  short: ShortCodeService;
  sources: CodeSources;
  event: () => EventInfo;
  /** Who is at the door now: recorded on a revocation. */
  operator: () => string;
}

/** Whether the event opted in to the long badge form with name and organisation (off unless chosen). */
export function carriesDetails(meta: MetaStore): boolean {
  return meta.get(DETAILS_KEY) === '1';
}

export function setCarriesDetails(meta: MetaStore, on: boolean): void {
  meta.set(DETAILS_KEY, on ? '1' : '0');
}

/**
 * Badge codes: issue (format 2 short codes unless the event carries details), verify any format, the
 * event's code policy with its cost, the code secret's generations, revoking a code, and the signing keys.
 */
export function badgeCodeHandlers(
  deps: BadgeCodeDeps,
): Pick<
  Handlers,
  | 'codes.issue'
  | 'codes.verify'
  | 'codes.policy'
  | 'codes.setPolicy'
  | 'codes.rotateSecret'
  | 'codes.setSecretStatus'
  | 'codes.revoke'
  | 'keys.list'
  | 'keys.trust'
  | 'keys.rotate'
  | 'keys.setStatus'
> {
  const { db, meta, guests, codes, short } = deps;

  const longCode = (guestId: string, deviceKey: boolean) => {
    const guest = guests.requireGuest(guestId);
    const forum = deps.event().forums.find((f) => f.id === guest.forumId);
    return codes.issue(guestId, {
      withDetails: {
        name: guest.name,
        organization: guest.organization,
        forum: forum ? `${forum.name.en} · ${forum.room}` : '',
      },
      validity: null,
      deviceKey: deviceKey || guest.walkIn,
    });
  };

  const policy = (): MethodOutput<'codes.policy'> => {
    const first = db.prepare(`SELECT id FROM guests ORDER BY rowid LIMIT 1`).pluck().get() as string | undefined;
    // A kiosk paired through the server holds no signing key of the event (only the organiser's kiosk and
    // kiosks given one by hand-off do): it cannot make a long code, so it shows no length for one.
    let detailedDigits: number | null = null;
    try {
      if (first !== undefined) detailedDigits = longCode(first, false).code.length;
    } catch (error) {
      if (!(error instanceof LanyardFailure) || error.code !== 'no_signing_key') throw error;
    }
    return {
      carryDetails: carriesDetails(meta),
      rosterDigits: ROSTER_CODE_LENGTH,
      walkInDigits: WALK_IN_CODE_LENGTH,
      detailedDigits,
      rosterScanMs: wedgeMs(ROSTER_CODE_LENGTH, SLOW_WEDGE_MS_PER_KEY),
      detailedScanMs: detailedDigits === null ? null : wedgeMs(detailedDigits, SLOW_WEDGE_MS_PER_KEY),
      secrets: short.list(),
    };
  };

  /** Any code explained: which format, which key or generation, whose, and why it is refused. */
  const verify = (code: string): CodeCheck => {
    const reading = readScan(code, deps.sources);
    const explainShort = (check: ShortCheck): CodeCheck => {
      const revoked = check.valid && check.guestId !== null && codes.isRevoked(check.guestId);
      return {
        ...NO_CODE_DETAILS,
        valid: check.valid && !revoked,
        reason: revoked ? 'revoked_code' : check.reason,
        detail: revoked ? `the code of guest ${check.guestId} was revoked` : check.detail,
        keyId: check.generation,
        guestId: check.guestId,
        name: check.guestId === null ? null : (guests.get(check.guestId)?.name ?? null),
      };
    };
    switch (reading.kind) {
      case 'signed':
        return reading.check;
      case 'short':
        return explainShort(reading.check);
      case 'roster': {
        // A Lanyard code on the roster (a synced walk-in's) is explained as one; an imported code is
        // genuine by being on the roster, but `verify` explains Lanyard codes only.
        const parsed = parseShortCode(reading.code);
        if (parsed !== null) return explainShort(short.check(reading.code, parsed));
        return { ...NO_CODE_DETAILS, valid: false, reason: 'malformed', detail: 'a roster code, not a Lanyard code' };
      }
      case 'unknown':
        return { ...NO_CODE_DETAILS, valid: false, reason: 'malformed', detail: 'not a Lanyard code' };
    }
  };

  return {
    'codes.issue': ({ guestId, deviceKey }) => {
      if (carriesDetails(meta)) return longCode(guestId, deviceKey);
      const guest = guests.requireGuest(guestId);
      // A walk-in's badge prints the code it was registered with (any kiosk derives its guest from it).
      const own = guest.walkIn ? guest.codes.find((c) => c.length === WALK_IN_CODE_LENGTH && c[0] === '8') : undefined;
      const code = own ?? short.rosterCode(guestId);
      return { code, keyId: Number(code.slice(2, 4)) };
    },
    'codes.verify': ({ code }) => verify(code),
    'codes.policy': () => policy(),
    'codes.setPolicy': ({ carryDetails }) => {
      setCarriesDetails(meta, carryDetails);
      return policy();
    },
    'codes.rotateSecret': () => {
      short.rotate();
      return policy();
    },
    'codes.setSecretStatus': ({ generation, status }) => {
      short.setStatus(generation, status);
      return policy();
    },
    'codes.revoke': ({ guestId, reason }) => {
      codes.revokeCode(guestId, reason, deps.operator());
      return { revoked: true as const };
    },
    'keys.list': () => ({ keys: codes.listKeys() }),
    'keys.trust': ({ keyId, publicKey }) => {
      codes.trustEventKey(keyId, publicKey);
      return { keys: codes.listKeys() };
    },
    'keys.rotate': () => ({ keyId: codes.rotateEventKey() }),
    'keys.setStatus': ({ keyId, status }) => {
      codes.setKeyStatus(keyId, status);
      return { keys: codes.listKeys() };
    },
  };
}
