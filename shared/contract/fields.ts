import { z } from 'zod';
import { cleanText } from '../text/clean.ts';

/** The building blocks every part of the contract uses for its method inputs. */

/** A method's input and output schema; each part of the contract is a table of these. */
export type MethodSpecs = Record<string, { input: z.ZodType; output: z.ZodType }>;

export const Empty = z.object({}).strict();
export const Text = (max: number) => z.string().max(max);
/**
 * Text a person typed that enters the domain (names, doors, reasons): cleaned of control characters on
 * the way in (shared/text/clean.ts), so it can be stored, synced and exported (a NUL in a name once stopped a push).
 * Ids and codes stay `Text`: a code is normalised at lookup and an id is only looked up.
 */
export const HumanText = (max: number) =>
  z
    .string()
    .overwrite((s) => cleanText(s))
    .max(max);
/** Seals a set-up file's secrets (the event's code secrets, a signing key): required, 8+ characters. */
export const PassphraseSchema = z.string().min(8).max(200);
