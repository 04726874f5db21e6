import type { CDPSession, Page } from 'playwright-core';
import type { Guest } from '../../shared/domain.ts';

/** Calls the loopback host's API as the renderer does (for test set-up and checks). */
export async function callApi<T>(url: string, method: string, input: unknown): Promise<T> {
  const response = await fetch(`${url}/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(input),
  });
  const body = (await response.json()) as
    { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
  if (!body.ok) throw new Error(`${method}: ${body.error.code}: ${body.error.message}`);
  return body.value;
}

/** The best search match for a query. */
export async function lookup(url: string, query: string): Promise<Guest> {
  return (await callApi<{ results: Guest[] }>(url, 'guests.search', { query, limit: 1 })).results[0]!;
}

/** Types a PIN at a person's pace (a burst would be a scan) into whatever has focus, then Enter. */
export async function typePin(page: Page, pin: string): Promise<void> {
  await page.keyboard.type(pin, { delay: 60 });
  await page.keyboard.press('Enter');
}

/** Signs in at the door's sign-in form by keyboard, as door staff do: their name, Tab to the PIN, the PIN. */
export async function signInByKeyboard(page: Page, name: string, pin: string): Promise<void> {
  await page.getByTestId('sign-in-name').selectOption(name);
  await page.keyboard.press('Tab');
  await typePin(page, pin);
}

/** Types into the door's input like a USB keyboard-wedge scanner: 4 ms per key, then Enter. */
export async function scanLikeAWedge(page: Page, code: string): Promise<void> {
  await page.getByTestId('scan-input').focus();
  await wedgeScanHere(page, code, 4);
}

/** The DevTools key fields for one character a scanner sends (digits, letters, a few separators). */
function keyFields(ch: string): { key: string; code: string; windowsVirtualKeyCode: number; text: string } {
  if (/^[0-9]$/.test(ch)) return { key: ch, code: `Digit${ch}`, windowsVirtualKeyCode: 48 + Number(ch), text: ch };
  if (/^[a-z]$/i.test(ch)) {
    const upper = ch.toUpperCase();
    return { key: ch, code: `Key${upper}`, windowsVirtualKeyCode: upper.charCodeAt(0), text: ch };
  }
  if (ch === '-') return { key: ch, code: 'Minus', windowsVirtualKeyCode: 189, text: ch };
  return { key: ch, code: '', windowsVirtualKeyCode: 0, text: ch };
}

const sessions = new WeakMap<Page, Promise<CDPSession>>();

/**
 * A keyboard-wedge scan wherever focus happens to be (a button, a dialog's field, another view), as a USB
 * scanner sends it: real (trusted) key events `msPerKey` apart, then Enter. The keys go through the
 * DevTools protocol stamped with the scanner's own times, paced in real time, as the OS stamps a USB
 * scanner's keys: on this shared 2-core machine one Playwright key round trip alone can take 50–100 ms,
 * which would make any scanner look like a person. Nothing is clicked or focused first.
 */
export async function wedgeScanHere(page: Page, code: string, msPerKey: number): Promise<void> {
  let session = sessions.get(page);
  if (session === undefined) {
    session = page.context().newCDPSession(page);
    sessions.set(page, session);
  }
  const cdp = await session;
  const start = Date.now() + 20;
  const send = async (fields: ReturnType<typeof keyFields>, at: number): Promise<void> => {
    const wait = at - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', ...fields, timestamp: at / 1000 });
    const { text: _text, ...up } = fields;
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', ...up, timestamp: (at + 1) / 1000 });
  };
  const chars = [...code];
  for (let i = 0; i < chars.length; i++) await send(keyFields(chars[i]!), start + i * msPerKey);
  await send({ key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13, text: '\r' }, start + chars.length * msPerKey);
}

/** The id of the answer on screen (every answer has a new one), or 0 when there is none. */
export async function bannerId(page: Page): Promise<number> {
  const banner = page.getByTestId('banner');
  if ((await banner.count()) === 0) return 0;
  return Number(await banner.getAttribute('data-banner-id'));
}
