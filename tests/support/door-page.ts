import type { Page } from 'playwright-core';
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

/** Types like a USB keyboard-wedge scanner: a few ms per key, then Enter. */
export async function scanLikeAWedge(page: Page, code: string): Promise<void> {
  await page.getByTestId('scan-input').focus();
  await page.keyboard.type(code, { delay: 4 });
  await page.keyboard.press('Enter');
}
