/**
 * An honest fact for the fact-check tests (fact-schema, the pull's and the push's quick check): a check-in
 * by kiosk_a at NOW, whose fields a test overrides one at a time to poison it.
 */
export const NOW = Date.UTC(2026, 11, 1, 9, 0, 0);

/** An HLC of `device` at wall time `ms` (counter 0). */
export const hlc = (ms: number, device = 'kiosk_a') => `${String(ms).padStart(15, '0')}-00000-${device}`;

/** Every field of a fact but its type and payload. */
export const frame = {
  id: '0190f5c2-6f7a-4d7e-9b1a-2f3c4d5e6f70',
  deviceId: 'kiosk_a',
  deviceSeq: 1,
  guestId: 'g1',
  hlc: hlc(NOW),
  wallMs: NOW,
  actor: 'staff',
};

/** A scanned check-in with `overrides` applied. */
export const checkInFact = (overrides: Record<string, unknown> = {}) => ({
  ...frame,
  type: 'check_in',
  payload: { door: 'North', method: 'scan', code: '123456789012' },
  ...overrides,
});
