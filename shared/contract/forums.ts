import { z } from 'zod';
import {
  AutoAssignOutcomeSchema,
  ForumScanResultSchema,
  ForumSchema,
  ForumSeatsSchema,
  ForumStatusSchema,
  GuestSchema,
} from '../domain.ts';
import { ForumIdSchema, ForumSetupSchema } from '../event/setup.ts';
import { Empty, HumanText, Text, type MethodSpecs } from './fields.ts';

/** Forums (sub-events): their set-up, assignment of guests, seats and the forum door's scans. */
export const forumMethods = {
  'forums.list': { input: Empty, output: z.object({ forums: z.array(ForumStatusSchema) }) },
  'forums.seats': { input: Empty, output: z.object({ seats: z.array(ForumSeatsSchema) }) },
  'forums.update': {
    input: z
      .object({ forum: ForumSchema.extend({ room: HumanText(80), capacity: z.number().int().min(0).max(100_000) }) })
      .strict(),
    output: ForumSchema,
  },
  /** A new sub-forum at the end of the list (or a removed one with this id, back again). */
  'forums.add': { input: z.object({ forum: ForumSetupSchema }).strict(), output: ForumSchema },
  /** The forums in a new order: every current forum id exactly once. */
  'forums.reorder': {
    input: z.object({ forumIds: z.array(ForumIdSchema).max(200) }).strict(),
    output: z.object({ forums: z.array(ForumSchema) }),
  },
  /**
   * Removes a forum. With guests assigned it is refused (forum_in_use, with the count) unless moveTo
   * names another forum: they are reassigned there in the same transaction (one forum_assign event each).
   */
  'forums.remove': {
    input: z.object({ forumId: ForumIdSchema, moveTo: z.union([z.literal(''), ForumIdSchema]) }).strict(),
    output: z.object({ removed: z.string(), moved: z.number().int() }),
  },
  'forums.assign': {
    // overrideReason '' = no override: a full forum is then refused with forum_full.
    input: z.object({ guestId: Text(100), forumId: Text(100), overrideReason: HumanText(500) }).strict(),
    output: z.object({ guest: GuestSchema, replaced: z.array(z.string()), overridden: z.boolean() }),
  },
  'forums.setPreferences': {
    input: z.object({ guestId: Text(100), forumIds: z.array(Text(100)).max(10) }).strict(),
    output: GuestSchema,
  },
  'forums.autoAssign': { input: z.object({ dryRun: z.boolean() }).strict(), output: AutoAssignOutcomeSchema },
  'forums.scan': {
    input: z
      .object({ code: Text(4096), forumId: Text(100), direction: z.enum(['in', 'out']), admitAnyway: z.boolean() })
      .strict(),
    output: ForumScanResultSchema,
  },
} as const satisfies MethodSpecs;
