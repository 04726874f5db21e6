import { z } from 'zod';

/**
 * Staff at the door: each a name, a PIN and a role. Door staff scan, search, check in, register walk-ins,
 * print first badges and undo their own recent check-ins; a supervisor may do everything.
 */
export const staffRoles = ['door', 'supervisor'] as const;
export const StaffRoleSchema = z.enum(staffRoles);
export type StaffRole = z.infer<typeof StaffRoleSchema>;

export const StaffMemberSchema = z.object({ id: z.string(), name: z.string(), role: StaffRoleSchema });
export type StaffMember = z.infer<typeof StaffMemberSchema>;

/** A staff PIN: 4–12 digits (typed on a number pad; a scanner burst never looks like one). */
export const PinSchema = z.string().regex(/^\d{4,12}$/, 'a PIN is 4 to 12 digits');
export const StaffNameSchema = z.string().trim().min(1).max(80);

/** How long door staff may undo their own check-ins, unless a supervisor sets another window. */
export const DEFAULT_UNDO_WINDOW_MINUTES = 5;
/** How long a supervisor PIN typed at the prompt keeps supervisor actions open (then it relocks). */
export const ELEVATION_SECONDS = 120;

/** Who is at this kiosk now; what the top bar and the dialogs show. */
export const StaffSessionSchema = z.object({
  /** false on a fresh kiosk: nobody has been set up, and the door is open to everyone (see README). */
  staffExist: z.boolean(),
  signedIn: StaffMemberSchema.nullable(),
  /** A supervisor who typed their PIN at the prompt, and how long their approval lasts. */
  elevated: z.object({ name: z.string(), secondsLeft: z.number().int().nonnegative() }).nullable(),
  /** 0 unless too many wrong PINs locked PIN entry. */
  pinLockSeconds: z.number().int().nonnegative(),
  undoWindowMinutes: z.number().int().min(0).max(1440),
});
export type StaffSession = z.infer<typeof StaffSessionSchema>;

/** After five wrong PINs in a row, PIN entry locks: 60 s, then 120 s, 240 s … at most an hour (R19). */
export const PIN_TRIES_BEFORE_LOCK = 5;
export function pinLockSeconds(consecutiveFailures: number): number {
  if (consecutiveFailures < PIN_TRIES_BEFORE_LOCK || consecutiveFailures % PIN_TRIES_BEFORE_LOCK !== 0) return 0;
  const round = consecutiveFailures / PIN_TRIES_BEFORE_LOCK - 1;
  return Math.min(60 * 2 ** Math.min(round, 20), 3600);
}
