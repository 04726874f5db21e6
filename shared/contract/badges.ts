import { z } from 'zod';
import { CodeCheckSchema, RoleSchema } from '../domain.ts';
import { BadgeSizeSchema, LogoDataUrlSchema } from '../event/setup.ts';
import { Empty, HumanText, Text, type MethodSpecs } from './fields.ts';

export const BadgeSettingsSchema = z.object({
  defaultTemplate: BadgeSizeSchema,
  byRole: z.partialRecord(RoleSchema, BadgeSizeSchema),
  printOnCheckIn: z.boolean(),
  /** The event's logo for the badge header ('' = none). */
  logoDataUrl: LogoDataUrlSchema,
});
export const KeyInfoSchema = z.object({
  keyId: z.number().int(),
  kind: z.string(),
  status: z.string(),
  hasPrivateKey: z.boolean(),
  publicKey: z.string(),
});
export const CodePolicySchema = z.object({
  /** The event opts in to badge codes that carry name and organisation (PII in the QR; R15). */
  carryDetails: z.boolean(),
  rosterDigits: z.number().int(),
  walkInDigits: z.number().int(),
  /** Digits of this event's first guest's code in the long form; null without guests. */
  detailedDigits: z.number().int().nullable(),
  /** Keystroke time at 10 ms per key (a slow keyboard-wedge scanner), Enter included. */
  rosterScanMs: z.number(),
  detailedScanMs: z.number().nullable(),
  secrets: z.array(
    z.object({ generation: z.number().int(), status: z.enum(['active', 'revoked', 'retired']), usable: z.boolean() }),
  ),
});

/** Badge codes (signing, verifying, policy, secrets, revocation), badge printing and signing keys. */
export const badgeMethods = {
  /** A guest's signed badge code (digits only); walk-ins are signed with this kiosk's device key. */
  'codes.issue': {
    input: z.object({ guestId: Text(100), deviceKey: z.boolean() }).strict(),
    output: z.object({ code: z.string(), keyId: z.number().int() }),
  },
  'codes.verify': { input: z.object({ code: Text(4096) }).strict(), output: CodeCheckSchema },
  /** The event's badge-code policy (short codes, or the long form with name and organisation) and its cost. */
  'codes.policy': { input: Empty, output: CodePolicySchema },
  'codes.setPolicy': { input: z.object({ carryDetails: z.boolean() }).strict(), output: CodePolicySchema },
  /** A new generation of the event's code secret (after a kiosk is lost); new badges use it. */
  'codes.rotateSecret': { input: Empty, output: CodePolicySchema },
  /** revoked: a lost kiosk held it (roster badges still admit, unsynced walk-ins do not); retired: nothing admits. */
  'codes.setSecretStatus': {
    input: z.object({ generation: z.number().int().min(1).max(99), status: z.enum(['revoked', 'retired']) }).strict(),
    output: CodePolicySchema,
  },
  'codes.revoke': {
    input: z.object({ guestId: Text(100), reason: HumanText(500).min(1) }).strict(),
    output: z.object({ revoked: z.literal(true) }),
  },
  /** Records a badge print (an event in the log). A second print of a guest's badge needs a reason. */
  'badges.recordPrint': {
    input: z.object({ guestId: Text(100), template: Text(40), reason: HumanText(500) }).strict(),
    output: z.object({ printCount: z.number().int() }),
  },
  /** Guests whose badges a batch prints: active, optionally one forum, one role, not yet printed. */
  'badges.select': {
    input: z
      .object({ forumId: Text(100), role: z.union([z.literal(''), RoleSchema]), notPrinted: z.boolean() })
      .strict(),
    output: z.object({ guestIds: z.array(z.string()) }),
  },
  /** Which label size to print: an event default, overridden per role; and whether to print on check-in. */
  'badges.settings': { input: Empty, output: BadgeSettingsSchema },
  'badges.setSettings': { input: z.object({ settings: BadgeSettingsSchema }).strict(), output: BadgeSettingsSchema },
  'keys.list': { input: Empty, output: z.object({ keys: z.array(KeyInfoSchema) }) },
  'keys.trust': {
    input: z
      .object({ keyId: z.number().int().min(1).max(32767), publicKey: z.string().regex(/^[0-9a-f]{64}$/) })
      .strict(),
    output: z.object({ keys: z.array(KeyInfoSchema) }),
  },
  'keys.rotate': { input: Empty, output: z.object({ keyId: z.number().int() }) },
  'keys.setStatus': {
    input: z.object({ keyId: z.number().int().min(1).max(65535), status: z.enum(['retired', 'revoked']) }).strict(),
    output: z.object({ keys: z.array(KeyInfoSchema) }),
  },
} as const satisfies MethodSpecs;
