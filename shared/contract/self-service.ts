import { z } from 'zod';
import { SelfServiceAnswerSchema, SelfServiceStatusSchema } from '../self-service/schemas.ts';
import { Empty, HumanText, Text, type MethodSpecs } from './fields.ts';

/**
 * Self-service: a supervisor switches the kiosk over; guests scan their badge or find themselves by name
 * and a second fact; a supervisor's PIN switches it back. While it is on, the kiosk's screen may call
 * only these and a few reads without personal data (shared/self-service/screen-methods.ts).
 */
export const selfServiceMethods = {
  /** Whether the kiosk is in self-service, and how long lookups or PIN entry stay locked. */
  'selfService.status': { input: Empty, output: SelfServiceStatusSchema },
  /** Switches to self-service (a supervisor's; needs a supervisor set up, who alone can switch back). */
  'selfService.start': { input: Empty, output: SelfServiceStatusSchema },
  /** Leaves self-service with a supervisor's PIN, who is then signed in. The CLI needs none. */
  'selfService.stop': { input: z.object({ pin: Text(32) }).strict(), output: SelfServiceStatusSchema },
  /** A guest's badge scanned at the self-service screen: checked in and their badge printed, or see staff. */
  'selfService.scan': { input: z.object({ code: Text(4096) }).strict(), output: SelfServiceAnswerSchema },
  /** A guest's whole name and a second fact (phone's last 4 digits or email's first letters): one guest or none. */
  'selfService.findMe': {
    input: z.object({ name: HumanText(200).trim().min(1), fact: Text(100).trim().min(1) }).strict(),
    output: SelfServiceAnswerSchema,
  },
} as const satisfies MethodSpecs;
