import { z } from 'zod';
import {
  PinSchema,
  StaffMemberSchema,
  StaffNameSchema,
  StaffRoleSchema,
  StaffSessionSchema,
} from '../staff/schemas.ts';
import { Empty, Text, type MethodSpecs } from './fields.ts';

/** Who may do what at this kiosk: the kiosk PIN and staff sign-in. */
export const staffMethods = {
  'kiosk.setPin': {
    input: z.object({ currentPin: Text(32), newPin: z.string().regex(/^\d{4,12}$/) }).strict(),
    output: z.object({ pinSet: z.literal(true) }),
  },
  'kiosk.checkPin': {
    input: z.object({ pin: Text(32) }).strict(),
    output: z.object({ unlocked: z.literal(true) }),
  },
  /** Who is signed in, a supervisor's approval in force, PIN lockout, the undo window. */
  'staff.session': { input: Empty, output: StaffSessionSchema },
  /** Names and roles for the sign-in dialog (never a PIN or its hash). */
  'staff.list': { input: Empty, output: z.object({ staff: z.array(StaffMemberSchema) }) },
  'staff.signIn': { input: z.object({ name: Text(80), pin: Text(32) }).strict(), output: StaffSessionSchema },
  'staff.signOut': { input: Empty, output: StaffSessionSchema },
  /** A supervisor's PIN typed at the prompt: supervisor actions are open for a short while. */
  'staff.elevate': { input: z.object({ pin: Text(32) }).strict(), output: StaffSessionSchema },
  'staff.endElevation': { input: Empty, output: StaffSessionSchema },
  'staff.add': {
    input: z.object({ name: StaffNameSchema, role: StaffRoleSchema, pin: PinSchema }).strict(),
    output: StaffMemberSchema,
  },
  'staff.remove': { input: z.object({ staffId: Text(100) }).strict(), output: z.object({ removed: z.literal(true) }) },
  'staff.setPin': { input: z.object({ staffId: Text(100), pin: PinSchema }).strict(), output: StaffMemberSchema },
  'staff.setUndoWindow': {
    input: z.object({ minutes: z.number().int().min(0).max(1440) }).strict(),
    output: StaffSessionSchema,
  },
} as const satisfies MethodSpecs;
