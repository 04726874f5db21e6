import { looksLikeLanyardCode } from '../../../../shared/codes/payload.ts';
import { scanCandidates } from '../../../../shared/codes/scanner-input.ts';
import { parseShortCode } from '../../../../shared/codes/short.ts';
import type { CodeCheck } from '../../../../shared/domain.ts';
import type { ShortCheck, ShortCodeService } from './short-codes.ts';

/** What one scan is, once read: a roster code, a Lanyard code (format 2 short or format 1 signed), or nothing. */
export type ScanReading =
  | { kind: 'roster'; code: string; guestId: string }
  | { kind: 'short'; code: string; check: ShortCheck }
  | { kind: 'signed'; code: string; check: CodeCheck }
  | { kind: 'unknown'; code: string };

export interface CodeSources {
  guestIdForCode(code: string): string | null;
  short: ShortCodeService;
  checkSigned(code: string): CodeCheck;
}

/**
 * Reads a scan the same way for every door and host: each reading of the input (shared/codes/
 * scanner-input.ts, most literal first) is tried in turn — exact roster lookup (imported codes, walk-in
 * codes), then Lanyard verification — and the first reading that is a code wins. So a code that arrives
 * intact is always itself, and a layout or IME reading can only win when no more literal one is a code.
 * When nothing resolves, the first Lanyard-shaped reading explains why (forged, revoked, …).
 */
export function readScan(raw: string, sources: CodeSources): ScanReading {
  const candidates = scanCandidates(raw);
  let refusal: ScanReading | null = null;
  for (const code of candidates) {
    const guestId = sources.guestIdForCode(code);
    if (guestId !== null) return { kind: 'roster', code, guestId };
    if (looksLikeLanyardCode(code)) {
      const check = sources.checkSigned(code);
      if (check.valid) return { kind: 'signed', code, check };
      refusal ??= { kind: 'signed', code, check };
      continue;
    }
    const parsed = parseShortCode(code);
    if (parsed !== null) {
      const check = sources.short.check(code, parsed);
      if (check.valid) return { kind: 'short', code, check };
      refusal ??= { kind: 'short', code, check };
    }
  }
  return refusal ?? { kind: 'unknown', code: candidates[0] ?? '' };
}
