import { z } from 'zod';
import { RoleSchema } from '../domain.ts';
import { BadgeSizeSchema } from '../event/setup.ts';

/**
 * Self-service: guests check themselves in at a kiosk a supervisor switched over. What the guest's screen
 * may receive is exactly what it shows: a greeting and the guest's own badge, or "please see the staff
 * desk" — never another guest, never a list, never why.
 */

export const SelfServiceStatusSchema = z.object({
  active: z.boolean(),
  /** Seconds until looking oneself up by name opens again after too many misses (0 = open). */
  lookupLockSeconds: z.number().int().nonnegative(),
  /** Seconds until a PIN may be typed again (the kiosk's PIN lockout, shared with staff sign-in). */
  pinLockSeconds: z.number().int().nonnegative(),
});
export type SelfServiceStatus = z.infer<typeof SelfServiceStatusSchema>;

/** The guest's own badge, as it prints: the screen draws it with the event's template and logo. */
export const SelfServiceBadgeSchema = z.object({
  guestId: z.string(),
  name: z.string(),
  latinName: z.string(),
  organization: z.string(),
  role: RoleSchema,
  forumId: z.string().nullable(),
  code: z.string(),
  /** The label size for this guest's role (the event's badge settings). */
  template: BadgeSizeSchema,
});
export type SelfServiceBadge = z.infer<typeof SelfServiceBadgeSchema>;

export const selfServiceOutcomes = ['welcome', 'see_staff'] as const;

export const SelfServiceAnswerSchema = z.object({
  /** welcome: checked in now (green). see_staff: anything else — amber, red or not found — told alike. */
  outcome: z.enum(selfServiceOutcomes),
  /** Whom to greet; '' unless welcome. */
  name: z.string(),
  /** The badge to show; null unless welcome and this kiosk may print it (a first print). */
  badge: SelfServiceBadgeSchema.nullable(),
  /** Send the badge to the printer now: its print was just recorded (false for a double read of one scan). */
  print: z.boolean(),
  /** Welcome, and please also stop at the staff desk (a note for staff, or a badge printed before). */
  alsoSeeStaff: z.boolean(),
});
export type SelfServiceAnswer = z.infer<typeof SelfServiceAnswerSchema>;

/** The answer that tells nothing: amber, red, not found and not exactly one all look like this. */
export const SEE_STAFF: SelfServiceAnswer = {
  outcome: 'see_staff',
  name: '',
  badge: null,
  print: false,
  alsoSeeStaff: false,
};

/** Who is recorded on check-ins and prints a guest made at a self-service kiosk. */
export const SELF_SERVICE_ACTOR = 'self-service';
