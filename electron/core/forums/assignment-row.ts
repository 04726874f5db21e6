import type { AssignmentFact } from '../../../shared/forums/register.ts';

/** A row of forum_assignments, as the register reads it. */
export interface AssignmentRow {
  fact_id: string;
  forum_id: string;
  hlc: string;
  device_id: string;
  replaces: string;
}

/** The register's view of an assignment row (shared/forums/register.ts). */
export function assignmentFact(row: AssignmentRow): AssignmentFact {
  return {
    factId: row.fact_id,
    forumId: row.forum_id,
    hlc: row.hlc,
    deviceId: row.device_id,
    replaces: JSON.parse(row.replaces) as string[],
  };
}
