import { LanyardFailure } from '../result.ts';

/**
 * Event times are wall-clock times in the event's IANA zone, stored as ISO 8601 with that zone's offset
 * (`2026-05-29T14:00:00+08:00`), so a kiosk whose own clock runs on another zone shows and exports the
 * venue's time. Pure: Intl only, no Node, no DOM.
 */

/** Throws `invalid_timezone` unless the runtime's time-zone database knows `timeZone`. */
export function checkTimeZone(timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
  } catch {
    throw new LanyardFailure('invalid_timezone', `unknown time zone ${JSON.stringify(timeZone)} (e.g. Asia/Shanghai)`);
  }
}

/** Offset of `timeZone` from UTC at the instant `ms`, in minutes. */
export function offsetMinutes(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? '0');
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((wall - Math.floor(ms / 1000) * 1000) / 60_000);
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The instant `ms` as the wall time of `timeZone` with its offset. */
export function formatInZone(ms: number, timeZone: string): string {
  const offset = offsetMinutes(ms, timeZone);
  const d = new Date(ms + offset * 60_000);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${formatOffset(offset)}`
  );
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * Reads an event time: a local wall time (`2026-06-01T09:00`, or a date alone for midnight) is taken in
 * the event's zone; a time with an offset or `Z` is an instant, shown in the event's zone. '' stays ''
 * (not set). Anything else is `invalid_event_time`.
 */
export function zonedTime(value: string, timeZone: string, field: string): string {
  const text = value.trim();
  if (text === '') return '';
  if (WITH_OFFSET.test(text)) {
    const ms = Date.parse(text);
    if (!Number.isNaN(ms)) return formatInZone(ms, timeZone);
  }
  const m = LOCAL.exec(text);
  if (m !== null) {
    const [year, month, day, hour, minute, second] = m.slice(1).map((v) => Number(v ?? '0')) as number[];
    const wallAsUtc = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!);
    const check = new Date(wallAsUtc);
    if (check.getUTCMonth() === month! - 1 && check.getUTCDate() === day! && hour! < 24 && minute! < 60) {
      // The zone's offset at that wall time: a first guess, corrected once (enough across a DST change).
      let ms = wallAsUtc - offsetMinutes(wallAsUtc, timeZone) * 60_000;
      ms = wallAsUtc - offsetMinutes(ms, timeZone) * 60_000;
      return formatInZone(ms, timeZone);
    }
  }
  throw new LanyardFailure(
    'invalid_event_time',
    `${field} ${JSON.stringify(value)} is not a date and time (e.g. 2026-06-01T09:00 or 2026-06-01T09:00+02:00)`,
  );
}

/** Refuses an end before its start (both set). */
export function checkOrder(startsAt: string, endsAt: string, what: string): void {
  if (startsAt !== '' && endsAt !== '' && Date.parse(endsAt) < Date.parse(startsAt)) {
    throw new LanyardFailure('invalid_event_time', `${what} ends (${endsAt}) before it starts (${startsAt})`);
  }
}
