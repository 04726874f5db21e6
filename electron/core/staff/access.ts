import type { MethodName } from '../../../shared/contract.ts';
import { LanyardFailure } from '../../../shared/result.ts';
import {
  DEFAULT_UNDO_WINDOW_MINUTES,
  ELEVATION_SECONDS,
  type StaffMember,
  type StaffSession,
} from '../../../shared/staff/schemas.ts';
import { createLogger } from '../log.ts';
import type { MetaStore } from '../meta.ts';
import { PinGuard } from './pin-guard.ts';
import type { StaffStore } from './store.ts';

const log = createLogger('staff');

/** Who is calling: the kiosk's screen (IPC or the loopback host), or the machine owner's CLI. */
export type Caller = 'screen' | 'owner';

/**
 * Who is at this kiosk and what they may do. One session per kiosk: one door, one screen, one person at
 * it (the loopback host serves that same screen). A supervisor approves by typing their PIN at the prompt,
 * which opens supervisor actions for ELEVATION_SECONDS and then relocks (R19) — the PIN is not sent with
 * each gated call, so it never sits in other methods' inputs, logs or jobs, and a refused call is simply
 * retried unchanged.
 */
export class StaffAccess {
  private signedIn: StaffMember | null = null;
  private elevation: { member: StaffMember; untilMs: number } | null = null;
  private caller: Caller = 'screen';
  /** The supervisor whose approval the current call uses: the actor recorded on its events. */
  private approvedBy: string | null = null;

  readonly store: StaffStore;
  private readonly meta: MetaStore;
  private readonly guard: PinGuard;
  private readonly now: () => number;

  constructor(store: StaffStore, meta: MetaStore, now: () => number) {
    this.store = store;
    this.meta = meta;
    this.now = now;
    this.guard = new PinGuard(meta, now);
  }

  /** Runs one call as `caller`; handlers are synchronous, so the call's context cannot leak to another. */
  run<T>(caller: Caller, body: () => T): T {
    const before = { caller: this.caller, approvedBy: this.approvedBy };
    this.caller = caller;
    this.approvedBy = null;
    try {
      return body();
    } finally {
      this.caller = before.caller;
      this.approvedBy = before.approvedBy;
    }
  }

  /** The machine owner's CLI is calling (no PIN is asked of the owner). */
  callerIsOwner(): boolean {
    return this.caller === 'owner';
  }

  /**
   * Runs `body` on behalf of someone who is not staff — a guest at the self-service screen — so the facts
   * it writes record `actor` rather than whoever signed in last.
   */
  actAs<T>(actor: string, body: () => T): T {
    const before = this.approvedBy;
    this.approvedBy = actor;
    try {
      return body();
    } finally {
      this.approvedBy = before;
    }
  }

  /** A fresh kiosk has no staff: the door is open to whoever stands at it until a supervisor is added. */
  private open(): boolean {
    return this.caller === 'owner' || this.store.count() === 0;
  }

  private liveElevation(): { member: StaffMember; untilMs: number } | null {
    if (this.elevation !== null && this.elevation.untilMs <= this.now()) this.elevation = null;
    return this.elevation;
  }

  requireSignedIn(method: MethodName): void {
    if (this.open() || this.signedIn !== null) return;
    throw new LanyardFailure('sign_in_required', `${method}: sign in with your name and PIN first`);
  }

  /** Passes for a supervisor (signed in, or approving by PIN at the prompt); refuses door staff. */
  requireSupervisor(method: MethodName, what: string): void {
    if (this.open() || this.signedIn?.role === 'supervisor') return;
    const elevation = this.liveElevation();
    if (elevation !== null) {
      this.approvedBy = elevation.member.name;
      return;
    }
    throw new LanyardFailure('supervisor_required', `${method}: ${what} needs a supervisor's PIN`);
  }

  /** The name recorded on events: the approving supervisor, else who is signed in, else the door's setting. */
  actor(fallback: string): string {
    return this.approvedBy ?? this.signedIn?.name ?? fallback;
  }

  /** Door staff may undo their own check-ins made at this kiosk within the undo window. */
  ownRecentCheckin(checkin: { actor: string; deviceId: string; wallMs: number }, deviceId: string): boolean {
    if (this.signedIn === null) return false;
    const windowMs = this.undoWindowMinutes() * 60_000;
    return (
      checkin.deviceId === deviceId && checkin.actor === this.signedIn.name && this.now() - checkin.wallMs <= windowMs
    );
  }

  undoWindowMinutes(): number {
    return Number(this.meta.get('undo_window_minutes') ?? DEFAULT_UNDO_WINDOW_MINUTES);
  }

  setUndoWindow(minutes: number): StaffSession {
    this.meta.set('undo_window_minutes', String(minutes));
    return this.session();
  }

  session(): StaffSession {
    const elevation = this.liveElevation();
    return {
      staffExist: this.store.count() > 0,
      signedIn: this.signedIn,
      elevated:
        elevation === null
          ? null
          : { name: elevation.member.name, secondsLeft: Math.ceil((elevation.untilMs - this.now()) / 1000) },
      pinLockSeconds: this.guard.lockedSeconds(),
      undoWindowMinutes: this.undoWindowMinutes(),
    };
  }

  signIn(name: string, pin: string): StaffSession {
    const member = this.guard.attempt(() => this.store.matchNameAndPin(name, pin));
    if (this.signedIn?.id !== member.id) this.elevation = null; // an approval belongs to the shift it was given in
    this.signedIn = member;
    log.info('signed in', { staff: member.id, role: member.role });
    return this.session();
  }

  signOut(): StaffSession {
    this.signedIn = null;
    this.elevation = null;
    return this.session();
  }

  elevate(pin: string): StaffSession {
    const member = this.guard.attempt(() => this.store.matchSupervisorPin(pin));
    this.elevation = { member, untilMs: this.now() + ELEVATION_SECONDS * 1000 };
    log.info('supervisor approval', { staff: member.id });
    return this.session();
  }

  /**
   * Leaving self-service: a supervisor's PIN alone (counted towards the lockout) signs that supervisor in,
   * as the one now at the kiosk.
   */
  signInBySupervisorPin(pin: string): StaffSession {
    const member = this.guard.attempt(() => this.store.matchSupervisorPin(pin));
    this.elevation = null;
    this.signedIn = member;
    log.info('signed in by supervisor PIN', { staff: member.id });
    return this.session();
  }

  endElevation(): StaffSession {
    this.elevation = null;
    return this.session();
  }

  /** Leaving kiosk mode: a supervisor's PIN (any kiosk without staff may be left, as before). */
  checkSupervisorPin(pin: string): void {
    if (this.store.count() === 0) return;
    this.guard.attempt(() => this.store.matchSupervisorPin(pin));
  }

  /** A removed member is signed out at once; their approval ends with them. */
  forget(staffId: string): void {
    if (this.signedIn?.id === staffId) this.signedIn = null;
    if (this.elevation?.member.id === staffId) this.elevation = null;
  }
}
