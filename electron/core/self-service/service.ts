import type { Handlers } from '../../../shared/contract.ts';
import type { Guest, ScanResult } from '../../../shared/domain.ts';
import { LanyardFailure } from '../../../shared/result.ts';
import {
  SEE_STAFF,
  SELF_SERVICE_ACTOR,
  type SelfServiceAnswer,
  type SelfServiceBadge,
  type SelfServiceStatus,
} from '../../../shared/self-service/schemas.ts';
import { SAME_SCAN_WINDOW_MS } from '../checkin/same-scan.ts';
import { readBadgeSettings } from '../event/badge-defaults.ts';
import { createLogger } from '../log.ts';
import type { MetaStore } from '../meta.ts';
import type { StaffAccess } from '../staff/access.ts';
import type { GuestFinder } from './guest-finder.ts';
import type { LookupGuard } from './lookup-guard.ts';

const log = createLogger('self-service');

const MODE_KEY = 'self_service';
/**
 * How long the mode read from the database is trusted. Every call of the screen asks (the scan too, whose
 * p99 is measured against a bare statement), so it is kept in memory; this process's own switches update it
 * at once, and a switch by the CLI, another process, is seen within this time.
 */
const MODE_RECHECK_MS = 1000;

/** The venue door's own handlers that self-service goes through: the same check-in and print path. */
export type DoorPath = Pick<Handlers, 'guests.scan' | 'guests.checkIn' | 'codes.issue' | 'badges.recordPrint'>;

export interface SelfServiceDeps {
  meta: MetaStore;
  access: StaffAccess;
  finder: GuestFinder;
  guard: LookupGuard;
  door: DoorPath;
  now: () => number;
}

/**
 * The self-service mode of a kiosk: on and off (kept in the database, so a restart or a reload of the
 * page finds it on), and the guests' two ways in — a badge scan, or their whole name with a second fact.
 * Each answer carries only what the guest's screen shows (shared/self-service/schemas.ts).
 */
export class SelfService {
  private readonly deps: SelfServiceDeps;
  private mode: { active: boolean; readAt: number } | null = null;
  /** The last badge welcomed, to tell a double read of it from a second visit (see scan). */
  private lastWelcome: { code: string; atMs: number; answer: SelfServiceAnswer } | null = null;

  constructor(deps: SelfServiceDeps) {
    this.deps = deps;
  }

  isActive(): boolean {
    const at = performance.now();
    if (this.mode === null || at - this.mode.readAt >= MODE_RECHECK_MS)
      this.mode = { active: this.deps.meta.get(MODE_KEY) === '1', readAt: at };
    return this.mode.active;
  }

  private setActive(active: boolean): void {
    this.deps.meta.set(MODE_KEY, active ? '1' : '0');
    this.mode = { active, readAt: performance.now() };
  }

  status(): SelfServiceStatus {
    return {
      active: this.isActive(),
      lookupLockSeconds: this.deps.guard.lockedSeconds(),
      pinLockSeconds: this.deps.access.session().pinLockSeconds,
    };
  }

  /**
   * Hands the screen to guests. Only a supervisor's PIN leaves self-service, so a kiosk without a
   * supervisor refuses (it could not be left, or would be left by anyone). Whoever is signed in is signed
   * out: the staff session must not outlive the handover.
   */
  start(): SelfServiceStatus {
    const { access } = this.deps;
    if (!access.store.list().some((member) => member.role === 'supervisor'))
      throw new LanyardFailure(
        'self_service_needs_supervisor',
        'add a supervisor first: only their PIN leaves self-service',
      );
    this.setActive(true);
    access.signOut();
    log.info('self-service on');
    return this.status();
  }

  /** Back to the staff's door: a supervisor's PIN at the screen (who is then signed in); the CLI needs none. */
  stop(pin: string): SelfServiceStatus {
    const { access } = this.deps;
    if (!this.isActive()) return this.status();
    if (!access.callerIsOwner()) access.signInBySupervisorPin(pin);
    this.setActive(false);
    log.info('self-service off');
    return this.status();
  }

  /**
   * A badge scan. The scanner reading it twice is the same scan, answered alike and printed once: the
   * door's own rule (checkin/same-scan.ts) ends at the print this kiosk records right after the check-in,
   * so the welcome is remembered here for the same window.
   */
  scan(code: string): SelfServiceAnswer {
    this.requireActive('selfService.scan');
    const now = this.deps.now();
    const last = this.lastWelcome;
    if (last !== null && last.code === code && now >= last.atMs && now - last.atMs < SAME_SCAN_WINDOW_MS)
      return { ...last.answer, print: false };
    const answer = this.admit(() => this.deps.door['guests.scan']({ code }));
    this.lastWelcome = answer.outcome === 'welcome' ? { code, atMs: now, answer } : null;
    return answer;
  }

  /** One guest with exactly this whole name and second fact is checked in; anything else tells nothing. */
  findMe(name: string, fact: string): SelfServiceAnswer {
    this.requireActive('selfService.findMe');
    const { guard, finder } = this.deps;
    guard.requireOpen();
    const guestId = finder.exactlyOne(name, fact);
    if (guestId === null) {
      guard.miss();
      return SEE_STAFF;
    }
    return this.admit(() => this.deps.door['guests.checkIn']({ guestId }));
  }

  private requireActive(method: string): void {
    if (!this.isActive())
      throw new LanyardFailure(
        'self_service_off',
        `${method}: this kiosk is not in self-service; a supervisor switches it on`,
      );
  }

  /** The door's check-in, recorded as self-service's, told as the guest's screen may tell it. */
  private admit(checkIn: () => ScanResult): SelfServiceAnswer {
    return this.deps.access.actAs(SELF_SERVICE_ACTOR, () => {
      const result = checkIn();
      if (result.status !== 'checked_in' || result.guest === null) return SEE_STAFF;
      const guest = result.guest;
      if (result.repeat === true) return this.welcome(guest, this.badgeOf(guest), false, result.attention !== null);
      this.deps.guard.checkedIn();
      const printed = this.recordFirstPrint(guest);
      if (printed === null) return this.welcome(guest, null, false, true);
      return this.welcome(guest, printed, true, result.attention !== null);
    });
  }

  private welcome(guest: Guest, badge: SelfServiceBadge | null, print: boolean, alsoSeeStaff: boolean) {
    return { outcome: 'welcome' as const, name: guest.name, badge, print, alsoSeeStaff };
  }

  /** A badge printed before (a batch, a desk) is a reprint, which is staff's: then no badge here. */
  private recordFirstPrint(guest: Guest): SelfServiceBadge | null {
    const badge = this.badgeOf(guest);
    try {
      this.deps.door['badges.recordPrint']({ guestId: guest.id, template: badge.template, reason: '' });
    } catch (error) {
      if (error instanceof LanyardFailure && error.code === 'reprint_needs_reason') return null;
      throw error;
    }
    return badge;
  }

  private badgeOf(guest: Guest): SelfServiceBadge {
    const { byRole, defaultTemplate } = readBadgeSettings(this.deps.meta);
    const { id: guestId, name, latinName, organization, role, forumId } = guest;
    const { code } = this.deps.door['codes.issue']({ guestId, deviceKey: false });
    // Exactly the badge's fields: never the guest's email, phone, note or status.
    return { guestId, name, latinName, organization, role, forumId, code, template: byRole[role] ?? defaultTemplate };
  }
}
