import type { Database, Statement } from 'better-sqlite3';
import type { ParsedInput } from '../../../shared/contract.ts';
import { LanyardFailure } from '../../../shared/result.ts';
import type { FactLog } from '../facts/log.ts';

/** Badge prints: each one a `badge_print` fact in the log; a second print of a badge needs a reason. */
export class BadgePrints {
  private readonly db: Database;
  private readonly facts: FactLog;
  private readonly printsOf: Statement<[string], number>;

  constructor(db: Database, facts: FactLog) {
    this.db = db;
    this.facts = facts;
    this.printsOf = db
      .prepare(`SELECT count(*) FROM facts WHERE type = 'badge_print' AND guest_id = ?`)
      .pluck() as Statement<[string], number>;
  }

  /**
   * Records one print of a guest's badge and returns how many there are now. A reprint needs a reason and
   * `authorizeReprint` (a supervisor) before anything is written; `at` is asked after that, so the
   * approving supervisor is the one recorded.
   */
  record(
    guestId: string,
    print: { template: string; reason: string },
    authorizeReprint: () => void,
    at: () => { door: string; operator: string },
  ): number {
    const printed = this.printsOf.get(guestId)!;
    const reason = print.reason.trim();
    if (printed > 0 && reason.length === 0) {
      throw new LanyardFailure(
        'reprint_needs_reason',
        `the badge of ${guestId} was printed ${printed}× already; give a reason to reprint`,
      );
    }
    if (printed > 0) authorizeReprint();
    const { door, operator } = at();
    this.db.transaction(() =>
      this.facts.append('badge_print', guestId, operator, { template: print.template, reason, door }),
    )();
    return printed + 1;
  }

  /** Guests whose badges a batch prints, by name: active, optionally of one forum or role, not yet printed. */
  select({ forumId, role, notPrinted }: ParsedInput<'badges.select'>): string[] {
    const where = [`status = 'active'`];
    const params: string[] = [];
    if (forumId !== '') {
      where.push(`id IN (SELECT guest_id FROM guest_forum WHERE forum_id = ?)`);
      params.push(forumId);
    }
    if (role !== '') {
      where.push(`role = ?`);
      params.push(role);
    }
    if (notPrinted) where.push(`id NOT IN (SELECT guest_id FROM facts WHERE type = 'badge_print')`);
    const sql = `SELECT id FROM settled_guests WHERE ${where.join(' AND ')} ORDER BY display_name, id`;
    return this.db
      .prepare(sql)
      .pluck()
      .all(...params) as string[];
  }
}
