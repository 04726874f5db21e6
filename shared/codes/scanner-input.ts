/**
 * What a scanner (or a person) sends is not always the code printed: a wedge scanner types the keys of a
 * US keyboard, and the laptop's layout turns them into other characters (French AZERTY gives `&é"'(-è_çà`
 * for the digit row, German QWERTZ swaps Y and Z and gives `ß` for `-`); a Chinese IME gives full-width
 * forms; scanners may put an AIM symbology identifier (`]Q1`, `]C0`, `]E0`) in front, GS/RS separators
 * inside and Enter/Tab after; people paste codes with spaces or type them in groups.
 *
 * Normalisation never decides alone which code was meant: `scanCandidates` lists readings from the most
 * literal to the most transformed, and the caller takes the first one that is a code on its roster (then
 * the first one that is laid out as a Lanyard code). A code that arrives intact is therefore always itself,
 * and a transformed reading can only win when the literal one is nobody's code. Pure: no Node, no DOM.
 */

/** The layouts a US-configured wedge scanner meets on our users' laptops: what arrives → what was meant. */
export const layoutReadings: Readonly<Record<'de' | 'fr', Readonly<Record<string, string>>>> = {
  // German QWERTZ: the US key gives this character on a German layout (inverse listed).
  de: {
    z: 'y',
    y: 'z',
    Z: 'Y',
    Y: 'Z',
    ß: '-',
    '?': '_',
    '-': '/',
    _: '?',
    ü: '[',
    Ü: '{',
    '+': ']',
    '*': '}',
    ö: ';',
    Ö: ':',
    ä: "'",
    Ä: '"',
    '#': '\\',
    '"': '@',
    '§': '#',
    '&': '^',
    '/': '&',
    '(': '*',
    ')': '(',
    '=': ')',
  },
  // French AZERTY: unshifted digit row, A/Q and Z/W swapped, M beside L.
  fr: {
    '&': '1',
    é: '2',
    '"': '3',
    "'": '4',
    '(': '5',
    '-': '6',
    è: '7',
    _: '8',
    ç: '9',
    à: '0',
    ')': '-',
    '°': '_',
    a: 'q',
    q: 'a',
    z: 'w',
    w: 'z',
    A: 'Q',
    Q: 'A',
    Z: 'W',
    W: 'Z',
    ',': 'm',
    '?': 'M',
    m: ';',
    M: ':',
    ';': ',',
    ':': '.',
    '!': '/',
    $: ']',
    '£': '}',
  },
};

const PLAIN_DIGITS = /^[0-9]+$/;

function readAs(layout: keyof typeof layoutReadings, text: string): string {
  const table = layoutReadings[layout];
  return [...text].map((c) => table[c] ?? c).join('');
}

// Full-width ASCII (U+FF01–FF5E) from an IME, the ideographic space, and the IME's brackets.
const IME_FORMS: Readonly<Record<string, string>> = { '\u3000': ' ', '】': ']', '【': '[', '—': '-', '－': '-' };
function halfWidth(text: string): string {
  return text.replace(/[\uff01-\uff5e\u3000】【—－]/g, (c) => {
    const code = c.charCodeAt(0);
    return code >= 0xff01 && code <= 0xff5e ? String.fromCharCode(code - 0xfee0) : IME_FORMS[c]!;
  });
}

// C0/C1 controls (Enter, Tab, GS, RS, EOT, NUL…), and invisible format characters a paste may carry.
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200d\u2060\ufeff]/g;
// AIM symbology identifier: `]`, a symbology letter, a modifier character (ISO/IEC 15424).
const AIM_PREFIX = /^\][A-Za-z][0-9A-Za-z]/;
// Group separators people and printers put between digit groups.
const GROUP_SEPARATORS = /[\s\u00a0\u2000-\u200a\u202f\u205f\-\u2010-\u2015.·/]/g;

/** The literal reading: controls removed, IME forms made half-width, surrounding space trimmed. */
export function cleanScan(raw: string): string {
  return halfWidth(raw.replace(CONTROLS, '')).trim();
}

function withoutPrefix(text: string): string {
  return text.replace(AIM_PREFIX, '');
}

/** The most normalised literal reading: controls, IME forms, a symbology prefix and group separators gone. */
export function canonicalScan(raw: string): string {
  return withoutPrefix(cleanScan(raw)).replace(GROUP_SEPARATORS, '');
}

/**
 * The readings of one scan, most literal first, without duplicates: as sent; without a symbology
 * identifier; without group separators; then the same read as typed on a German and on a French layout.
 */
export function scanCandidates(raw: string): string[] {
  // Nearly every scan is a clean run of ASCII digits, whose only reading is itself: there is nothing to
  // clean, and no layout table maps a digit. Skipping the readings saves a fifth of a signed code's check.
  if (PLAIN_DIGITS.test(raw)) return [raw];
  const literal = cleanScan(raw);
  const out: string[] = [];
  const add = (text: string) => {
    if (text.length > 0 && !out.includes(text)) out.push(text);
  };
  const variants = (text: string) => {
    add(text);
    const bare = withoutPrefix(text);
    add(bare);
    add(bare.replace(GROUP_SEPARATORS, ''));
  };
  variants(literal);
  // Layout readings apply to the raw keystrokes; the prefix and separators are removed after, because
  // on a German layout `]Q1` itself arrives as `+Q1` and on a French one as `$A&`.
  for (const layout of ['de', 'fr'] as const) variants(cleanScan(readAs(layout, literal)));
  return out;
}
