import { randomBytes } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import { LanyardFailure } from '../../../shared/result.ts';
import type { StaffMember, StaffRole } from '../../../shared/staff/schemas.ts';
import { hashPin, verifyPin } from './pin.ts';

interface StaffRow {
  id: string;
  name: string;
  role: StaffRole;
  pin_hash: string;
}

/** Names identify staff in the audit trail: "Anna", " anna " and "ＡＮＮＡ" are one person. */
export function staffNameKey(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

const member = (r: StaffRow): StaffMember => ({ id: r.id, name: r.name, role: r.role });

/**
 * How long the staff count is trusted. Every call through the staff gate asks it (a kiosk without staff
 * is open to whoever stands at it), a statement on every scan and badge check (~10 µs, a fifth of what
 * the core adds to a badge's signature check). This store's own adds and removes reset it at once; the
 * owner's CLI, another process, may add or remove staff while the app runs, and is seen within this
 * long — as the self-service mode is (self-service/service.ts).
 */
const COUNT_RECHECK_MS = 1_000;

/** The staff table. PINs go in and are compared here; a hash never leaves this class. */
export class StaffStore {
  private readonly all: Statement<[], StaffRow>;
  private readonly byKey: Statement<[string], StaffRow>;
  private readonly byId: Statement<[string], StaffRow>;
  private readonly countStmt: Statement<[], number>;
  private readonly db: Database;
  private readonly now: () => number;

  constructor(db: Database, now: () => number) {
    this.db = db;
    this.now = now;
    this.all = db.prepare(`SELECT id, name, role, pin_hash FROM staff ORDER BY role DESC, name_key`);
    this.byKey = db.prepare(`SELECT id, name, role, pin_hash FROM staff WHERE name_key = ?`);
    this.byId = db.prepare(`SELECT id, name, role, pin_hash FROM staff WHERE id = ?`);
    this.countStmt = db.prepare(`SELECT count(*) FROM staff`).pluck() as Statement<[], number>;
  }

  private counted: { n: number; readAt: number } | null = null;

  /** How many staff members there are, read again at most COUNT_RECHECK_MS after the last read. */
  count(): number {
    const at = performance.now();
    if (this.counted === null || at - this.counted.readAt >= COUNT_RECHECK_MS)
      this.counted = { n: this.countStmt.get()!, readAt: at };
    return this.counted.n;
  }

  list(): StaffMember[] {
    return this.all.all().map(member);
  }

  get(id: string): StaffMember | null {
    const row = this.byId.get(id);
    return row === undefined ? null : member(row);
  }

  /** The member with this name and PIN, or null (an unknown name and a wrong PIN look the same). */
  matchNameAndPin(name: string, pin: string): StaffMember | null {
    const row = this.byKey.get(staffNameKey(name));
    return row !== undefined && verifyPin(pin, row.pin_hash) ? member(row) : null;
  }

  /** The supervisor whose PIN this is, or null. Each check is a slow scrypt, and there are few supervisors. */
  matchSupervisorPin(pin: string): StaffMember | null {
    for (const row of this.all.all()) if (row.role === 'supervisor' && verifyPin(pin, row.pin_hash)) return member(row);
    return null;
  }

  add(name: string, role: StaffRole, pin: string): StaffMember {
    const cleanName = name.normalize('NFKC').trim().replace(/\s+/g, ' ');
    const key = staffNameKey(cleanName);
    if (this.byKey.get(key) !== undefined)
      throw new LanyardFailure('staff_name_taken', `a staff member called ${cleanName} already exists`);
    if (role === 'door' && this.supervisors() === 0)
      throw new LanyardFailure('last_supervisor', 'add a supervisor first: someone must be able to approve');
    this.refuseSharedPin(pin, null);
    const id = `s${randomBytes(6).toString('hex')}`;
    this.db
      .prepare(`INSERT INTO staff (id, name, name_key, role, pin_hash, created_ms) VALUES (?, ?, ?, ?, ?, ?)`)
      .run(id, cleanName, key, role, hashPin(pin), this.now());
    this.counted = null;
    return { id, name: cleanName, role };
  }

  setPin(id: string, pin: string): StaffMember {
    const found = this.require(id);
    this.refuseSharedPin(pin, id);
    this.db.prepare(`UPDATE staff SET pin_hash = ? WHERE id = ?`).run(hashPin(pin), id);
    return found;
  }

  remove(id: string): void {
    const found = this.require(id);
    if (found.role === 'supervisor' && this.supervisors() === 1 && this.countStmt.get()! > 1)
      throw new LanyardFailure('last_supervisor', 'the last supervisor cannot be removed while door staff remain');
    this.db.prepare(`DELETE FROM staff WHERE id = ?`).run(id);
    this.counted = null;
  }

  private require(id: string): StaffMember {
    const found = this.get(id);
    if (found === null) throw new LanyardFailure('staff_not_found', `no staff member with id ${id}`);
    return found;
  }

  private supervisors(): number {
    return this.all.all().filter((r) => r.role === 'supervisor').length;
  }

  /**
   * A PIN identifies its holder at the supervisor prompt (PIN only, no name), so two people may not share
   * one: the approval would be recorded under the wrong name.
   */
  private refuseSharedPin(pin: string, except: string | null): void {
    for (const row of this.all.all()) {
      if (row.id !== except && verifyPin(pin, row.pin_hash))
        throw new LanyardFailure('pin_taken', 'another staff member has this PIN; choose another');
    }
  }
}
