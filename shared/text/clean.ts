/**
 * The one place where text entering the domain is cleaned of control characters (a NUL in a typed or
 * imported name once stopped sync and publishing): the contract's text inputs (UI, CLI), imported roster
 * cells and walk-ins all go through `cleanText`, and the sync fact schemas refuse what it would have
 * changed (`hasControlCharacters`).
 *
 * Why: PostgreSQL refuses U+0000 in jsonb and text, and a lone UTF-16 surrogate in jsonb, so one NUL in a
 * name made every push of that kiosk fail; C0/C1 controls also break CSV cells, terminals and badges.
 * Names, organisations and reasons never need a control character; a multi-line note keeps TAB and LF
 * (CR LF and lone CR become LF).
 */

// C0 (U+0000–U+001F), DEL and C1 (U+0080–U+009F); lone surrogates are handled apart.
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
// eslint-disable-next-line no-control-regex
const CONTROLS_BUT_TAB_LF = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// eslint-disable-next-line no-control-regex
const ANY_CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_BUT_TAB_LF = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

export type TextKind = 'line' | 'multiline';

/**
 * Removes control characters (keeping TAB and LF in multi-line text) and replaces lone surrogates with
 * U+FFFD. A control character between two words becomes nothing, not a space: "Ann\u0000 Lee" → "Ann Lee".
 */
export function cleanText(value: string, kind: TextKind = 'line'): string {
  let out = value;
  if (kind === 'multiline') out = out.replace(/\r\n?/g, '\n').replace(CONTROLS_BUT_TAB_LF, '');
  else out = out.replace(CONTROLS, '');
  return LONE_SURROGATE.test(out) ? out.replace(LONE_SURROGATES, '\ufffd') : out;
}

/** True when `cleanText` would change the text: what the sync schemas refuse instead of repairing. */
export function hasControlCharacters(value: string, kind: TextKind = 'line'): boolean {
  const controls =
    kind === 'multiline' ? CONTROL_BUT_TAB_LF.test(value) || value.includes('\r') : ANY_CONTROL.test(value);
  return controls || LONE_SURROGATE.test(value);
}
