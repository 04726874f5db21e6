import { z } from 'zod';
import type { LocalizedText } from '../domain.ts';
import { LanyardFailure } from '../result.ts';

/**
 * What an organiser types to create or edit an event and its sub-forums, and the pure rules that turn
 * it into stored values: names in any of 中文 / English / Deutsch (at least one; the others fall back to
 * it), times in the event's zone (./time.ts).
 */

export const badgeSizes = ['cr80', '4x3in', 'a6', 'ql-62x100', '4x6in'] as const;
export const BadgeSizeSchema = z.enum(badgeSizes);

/** A logo for the badge header, as a PNG/JPEG/SVG data URL ('' = none; ≤ 300 kB). */
export const LogoDataUrlSchema = z.union([
  z.literal(''),
  z
    .string()
    .max(400_000)
    .regex(/^data:image\/(png|jpeg|svg\+xml);base64,[A-Za-z0-9+/=]+$/),
]);

const Text = (max: number) => z.string().trim().max(max);
export const PartialNameSchema = z
  .object({ zh: Text(200).default(''), en: Text(200).default(''), de: Text(200).default('') })
  .strict();

/** In an edit: only the languages given change. */
const NamePatchSchema = z
  .object({ zh: Text(200), en: Text(200), de: Text(200) })
  .partial()
  .strict();

export const EventSetupSchema = z
  .object({
    name: PartialNameSchema,
    /** Local wall time in the event's zone (`2026-06-01T09:00`), or with an offset; '' = not set. */
    startsAt: Text(40).default(''),
    endsAt: Text(40).default(''),
    /** IANA zone; '' = the kiosk's own zone. */
    timezone: Text(64).default(''),
    venue: PartialNameSchema.default({ zh: '', en: '', de: '' }),
    badgeSize: BadgeSizeSchema.default('cr80'),
    logoDataUrl: LogoDataUrlSchema.default(''),
  })
  .strict();
export type EventSetup = z.output<typeof EventSetupSchema>;

/** An edit: only the fields given change; a name given for one language leaves the others as they are. */
export const EventPatchSchema = z
  .object({
    name: NamePatchSchema.optional(),
    startsAt: Text(40).optional(),
    endsAt: Text(40).optional(),
    timezone: Text(64).optional(),
    venue: NamePatchSchema.optional(),
    badgeSize: BadgeSizeSchema.optional(),
    logoDataUrl: LogoDataUrlSchema.optional(),
  })
  .strict();
export type EventPatch = z.output<typeof EventPatchSchema>;

export const ForumIdSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/, 'a forum id is 1–40 letters, digits, - or _ (e.g. materials)');

export const ForumSetupSchema = z
  .object({
    id: ForumIdSchema,
    name: PartialNameSchema,
    room: Text(80).default(''),
    capacity: z.number().int().min(0).max(100_000).default(100),
    /** '' = the event's start / end. */
    startsAt: Text(40).default(''),
    endsAt: Text(40).default(''),
    /** '' = the next colour of the palette. */
    colour: z.union([z.literal(''), z.string().regex(/^#[0-9a-fA-F]{6}$/)]).default(''),
  })
  .strict();
export type ForumSetup = z.output<typeof ForumSetupSchema>;

/** Colours given to new forums in turn, distinct on screen and on a badge's band. */
export const forumPalette = ['#2980b9', '#c0392b', '#27ae60', '#8e44ad', '#d35400', '#16a085', '#2c3e50', '#b7950b'];

/**
 * Fills the languages left empty from the first one given (English, then 中文, then Deutsch), so every
 * screen language shows a name. `what` names the field in the error when none is given.
 */
export function withFallback(name: LocalizedText, what: string): LocalizedText {
  const first = [name.en, name.zh, name.de].map((n) => n.trim()).find((n) => n.length > 0);
  if (first === undefined)
    throw new LanyardFailure('name_required', `${what} needs a name in 中文, English or Deutsch`);
  return {
    zh: name.zh.trim() || first,
    en: name.en.trim() || first,
    de: name.de.trim() || first,
  };
}

/** The same, for a text that may stay empty everywhere (the venue). */
export function optionalFallback(text: LocalizedText): LocalizedText {
  return [text.en, text.zh, text.de].some((t) => t.trim().length > 0)
    ? withFallback(text, 'venue')
    : { zh: '', en: '', de: '' };
}

/** A readable, unique event id: the name folded to ASCII, then random digits against collisions. */
export function eventIdFor(name: LocalizedText, randomHex: string): string {
  const slug = name.en
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 32)
    .replace(/-+$/, '');
  return slug.length > 0 ? `${slug}-${randomHex}` : `event-${randomHex}`;
}
