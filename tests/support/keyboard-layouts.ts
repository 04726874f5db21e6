/**
 * What a US-configured keyboard-wedge scanner's keystrokes produce on the layouts our users' laptops have,
 * written down key by key from the layouts themselves (not derived from the kiosk's reading tables, so a
 * test typing through these checks the kiosk against the real layouts). Characters not listed are the
 * same as on a US layout.
 */
const german: Record<string, string> = {
  // QWERTZ: Y and Z swapped; the keys right of 0 and of P, L; shifted digits.
  y: 'z',
  z: 'y',
  Y: 'Z',
  Z: 'Y',
  '-': 'ß',
  _: '?',
  '=': '´',
  '+': '`',
  '[': 'ü',
  '{': 'Ü',
  ']': '+',
  '}': '*',
  ';': 'ö',
  ':': 'Ö',
  "'": 'ä',
  '"': 'Ä',
  '\\': '#',
  '/': '-',
  '?': '_',
  '@': '"',
  '#': '§',
  '^': '&',
  '&': '/',
  '*': '(',
  '(': ')',
  ')': '=',
};
const french: Record<string, string> = {
  // AZERTY: the digit row unshifted, A/Q and Z/W swapped, M right of L.
  '1': '&',
  '2': 'é',
  '3': '"',
  '4': "'",
  '5': '(',
  '6': '-',
  '7': 'è',
  '8': '_',
  '9': 'ç',
  '0': 'à',
  '!': '1',
  '@': '2',
  '#': '3',
  $: '4',
  '%': '5',
  '^': '6',
  '&': '7',
  '*': '8',
  '(': '9',
  ')': '0',
  '-': ')',
  _: '°',
  q: 'a',
  a: 'q',
  w: 'z',
  z: 'w',
  Q: 'A',
  A: 'Q',
  W: 'Z',
  Z: 'W',
  m: ',',
  M: '?',
  ';': 'm',
  ':': 'M',
  ',': ';',
  '.': ':',
  '/': '!',
  ']': '$',
  '}': '£',
};

export type Layout = 'us' | 'de' | 'fr';

/** The text that arrives when a scanner types `text` as US keystrokes on `layout`. */
export function typeOn(layout: Layout, text: string): string {
  if (layout === 'us') return text;
  const table = layout === 'de' ? german : french;
  return [...text].map((c) => table[c] ?? c).join('');
}
