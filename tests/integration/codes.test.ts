import { afterEach, describe, expect, it } from 'vitest';
import { CodeService } from '../../electron/core/badges/codes/signed-codes.ts';
import { createDispatcher } from '../../electron/core/dispatch.ts';
import { createKiosk, type Kiosk } from '../../electron/core/kiosk.ts';
import type { CodeCheck, ScanResult } from '../../shared/domain.ts';
import type { Result } from '../../shared/result.ts';
import { tempDir } from '../support/temp.ts';
import { testSecrets } from '../support/secrets.ts';
import { valueOf as value } from '../support/call.ts';

interface Door {
  kiosk: Kiosk;
  call: (m: string, i: unknown) => Result<unknown>;
  cleanup: () => void;
}
const doors: Door[] = [];
afterEach(() => doors.splice(0).forEach((d) => (d.kiosk.close(), d.cleanup())));

function door(now: () => number = Date.now): Door {
  const dir = tempDir('codes');
  const kiosk = createKiosk({ dataDir: dir.dir, now, secrets: testSecrets });
  const call = createDispatcher(kiosk.handlers);
  const d = { kiosk, call, cleanup: dir.cleanup };
  doors.push(d);
  const r = call('event.loadDemo', {});
  if (!r.ok) throw new Error(r.error.message);
  // These tests are about format 1, the long signed form: the event option that carries name and organisation.
  const p = call('codes.setPolicy', { carryDetails: true });
  if (!p.ok) throw new Error(p.error.message);
  return d;
}
const issue = (d: Door, guestId: string, deviceKey = false) =>
  value<{ code: string; keyId: number }>(d.call('codes.issue', { guestId, deviceKey })).code;
const check = (d: Door, code: string) => value<CodeCheck>(d.call('codes.verify', { code }));
const eventKey = (d: Door) =>
  value<{ keys: Array<{ keyId: number; kind: string; publicKey: string }> }>(d.call('keys.list', {})).keys.find(
    (k) => k.kind === 'event',
  )!;

describe('signed badge codes (format 1, when the event opts in to codes with name and organisation)', () => {
  it('a genuine code verifies and scans green; any single-digit change or truncation is refused', () => {
    const a = door();
    const code = issue(a, 'g0001');
    expect(code).toMatch(/^\d+$/);
    expect(check(a, code)).toMatchObject({
      valid: true,
      reason: 'ok',
      guestId: 'g0001',
      name: '刘青',
      keyKind: 'event',
    });
    let accepted = 0;
    for (let i = 0; i < code.length; i++) {
      for (let d = 0; d < 10; d++) {
        if (String(d) === code[i]) continue;
        if (check(a, code.slice(0, i) + d + code.slice(i + 1)).valid) accepted++;
      }
    }
    for (let n = 0; n < code.length; n++) if (check(a, code.slice(0, n)).valid) accepted++;
    expect(accepted).toBe(0);
    const forged = code.slice(0, -1) + ((Number(code.at(-1)) + 1) % 10);
    const refused = value<ScanResult>(a.call('guests.scan', { code: forged }));
    expect(refused).toMatchObject({ status: 'invalid_code', guest: null });
    expect(a.kiosk.db!.prepare(`SELECT count(*) FROM facts`).pluck().get()).toBe(0);
    expect(value<ScanResult>(a.call('guests.scan', { code })).status).toBe('checked_in');
  });

  it('another kiosk refuses an unknown key, and accepts it once it trusts the event key — even without the roster', () => {
    const a = door();
    const b = door();
    b.kiosk.db!.exec(
      `DELETE FROM guest_codes WHERE guest_id = 'g0004'; DELETE FROM search_keys WHERE guest_id = 'g0004'; DELETE FROM guest_forum_preferences WHERE guest_id = 'g0004'; DELETE FROM guests WHERE id = 'g0004';`,
    );
    const code = issue(a, 'g0004');
    // Kiosk b has not received the organiser's keys yet (its own demo keys are dropped for the test).
    b.kiosk.db!.exec(`DELETE FROM signing_keys`);
    expect(check(b, code).reason).toBe('unknown_key');
    const key = eventKey(a);
    value(b.call('keys.trust', { keyId: key.keyId, publicKey: key.publicKey }));
    expect(check(b, code)).toMatchObject({ valid: true, guestId: 'g0004', name: 'Anna Müller' });
    const scan = value<ScanResult>(b.call('guests.scan', { code }));
    expect(scan).toMatchObject({ status: 'checked_in', guest: { id: 'g0004', name: 'Anna Müller' } });
  });

  it('rotation keeps old badges valid until their key is retired; revoked codes are refused', () => {
    const a = door();
    const old = issue(a, 'g0010');
    const oldKey = check(a, old).keyId!;
    value(a.call('keys.rotate', {}));
    const fresh = issue(a, 'g0011');
    expect(check(a, fresh).keyId).not.toBe(oldKey);
    expect(check(a, old).valid).toBe(true);
    value(a.call('keys.setStatus', { keyId: oldKey, status: 'retired' }));
    expect(check(a, old).reason).toBe('retired_key');
    expect(check(a, fresh).valid).toBe(true);
    value(a.call('codes.revoke', { guestId: 'g0011', reason: 'badge reported stolen' }));
    expect(check(a, fresh).reason).toBe('revoked_code');
  });

  it('a walk-in badge signed offline by a device key verifies on another kiosk; a revoked device key does not', () => {
    const a = door();
    const b = door();
    const walkIn = value<ScanResult>(
      a.call('guests.walkIn', { name: 'Zoë Ärger', organization: 'Press', email: '', role: 'press' }),
    );
    const code = issue(a, walkIn.guest!.id);
    const verdict = check(a, code);
    expect(verdict).toMatchObject({ valid: true, keyKind: 'device' });
    b.kiosk.db!.exec(`DELETE FROM signing_keys`);
    const key = eventKey(a);
    value(b.call('keys.trust', { keyId: key.keyId, publicKey: key.publicKey }));
    expect(check(b, code)).toMatchObject({ valid: true, keyKind: 'device', name: 'Zoë Ärger' });
    value(b.call('keys.setStatus', { keyId: verdict.keyId!, status: 'revoked' }));
    expect(check(b, code).reason).toBe('revoked_key');
  });

  it('validity windows are enforced offline', () => {
    let clock = Date.parse('2026-05-29T01:00:00Z');
    const a = door(() => clock);
    const codes = new CodeService(
      a.kiosk.db!,
      () => 'open-day-2026',
      () => clock,
      null,
      testSecrets,
    );
    const { code } = codes.issue('g0001', {
      withDetails: null,
      deviceKey: false,
      validity: { notBefore: new Date('2026-05-29T00:00:00Z'), notAfter: new Date('2026-05-29T10:00:00Z') },
    });
    expect(codes.check(code).valid).toBe(true);
    clock = Date.parse('2026-05-29T11:00:00Z');
    expect(codes.check(code).reason).toBe('expired');
    clock = Date.parse('2026-05-28T11:00:00Z');
    expect(codes.check(code).reason).toBe('not_yet_valid');
  });

  it("a genuine code of another event is refused as wrong_event, though its key is this kiosk's", () => {
    const a = door();
    const otherEvent = new CodeService(a.kiosk.db!, () => 'spring-fair-2027', Date.now, null, testSecrets);
    const foreign = otherEvent.issue('g0001', { withDetails: null, deviceKey: false, validity: null }).code;
    expect(otherEvent.check(foreign)).toMatchObject({ valid: true, reason: 'ok' });
    expect(check(a, foreign)).toMatchObject({ valid: false, reason: 'wrong_event', guestId: 'g0001' });
    expect(value<ScanResult>(a.call('guests.scan', { code: foreign })).status).toBe('invalid_code');
    expect(otherEvent.check(issue(a, 'g0001')).reason).toBe('wrong_event');
    // A code is judged the same way the second time (the key is parsed once and kept).
    expect(check(a, issue(a, 'g0002'))).toMatchObject({ valid: true, guestId: 'g0002' });
    expect(check(a, foreign).reason).toBe('wrong_event');
  });

  it('codes of other systems still work by roster lookup', () => {
    const a = door();
    const plain = a.kiosk.db!.prepare(`SELECT code FROM guest_codes WHERE guest_id = 'g0001'`).pluck().get() as string;
    expect(value<ScanResult>(a.call('guests.scan', { code: plain })).status).toBe('checked_in');
    expect(check(a, plain)).toMatchObject({ valid: false, reason: 'malformed' });
  });
});
