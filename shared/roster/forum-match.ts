import { fold, foldGerman, hasHan } from '../search/fold.ts';

/**
 * Which sub-forum a roster cell names. Registration forms are filled in by hand and exported by other
 * systems, so a cell may hold the forum's id, any of its names (中文 / English / Deutsch), its room, in
 * any case, width (full-width ＩＴ from a Chinese IME) or accents — or a shortened name: `材料` for
 * 新材料. Runtime-neutral and pure.
 *
 * 1. Exact: the folded value equals the folded id, a name (also in its German transliteration, so
 *    `Werkstoffe` and `WERKSTOFFE` and `Maschinenbau`/`Maschinénbau` meet) or the room of exactly one forum.
 * 2. Contained: the folded value is part of the folded name of exactly one forum (`材料` → 新材料,
 *    `energie` → Energie & Umweltschutz). Only for values of at least 2 Chinese characters or 3 other
 *    characters: a single letter is part of almost every name and would match by accident.
 * Anything else is a row error: `ambiguous_forum` (with the forums it could be) or `unknown_forum`.
 */
export interface ForumNames {
  id: string;
  name: { zh: string; en: string; de: string };
  room: string;
}

export type ForumMatch =
  { ok: true; forumId: string } | { ok: false; code: 'unknown_forum' | 'ambiguous_forum'; candidates: string[] };

const MIN_CONTAINED_HAN = 2;
const MIN_CONTAINED_OTHER = 3;

function keysOf(text: string): string[] {
  if (text.trim() === '') return [];
  const keys = new Set([fold(text), foldGerman(text)]);
  keys.delete('');
  return [...keys];
}

/** A matcher over one event's forums (built once per import; the answer per distinct cell is cheap). */
export function forumMatcher(forums: readonly ForumNames[]): (value: string) => ForumMatch {
  const exact = new Map<string, Set<string>>();
  const names: Array<{ id: string; keys: string[] }> = [];
  for (const f of forums) {
    for (const key of [f.id, f.name.zh, f.name.en, f.name.de, f.room].flatMap(keysOf)) {
      const ids = exact.get(key) ?? new Set<string>();
      ids.add(f.id);
      exact.set(key, ids);
    }
    names.push({ id: f.id, keys: [f.name.zh, f.name.en, f.name.de].flatMap(keysOf) });
  }
  return (value) => {
    const keys = keysOf(value);
    if (keys.length === 0) return { ok: false, code: 'unknown_forum', candidates: [] };
    const exactIds = new Set(keys.flatMap((k) => [...(exact.get(k) ?? [])]));
    if (exactIds.size === 1) return { ok: true, forumId: [...exactIds][0]! };
    if (exactIds.size > 1) return { ok: false, code: 'ambiguous_forum', candidates: [...exactIds] };
    const long = keys.filter((k) => k.length >= (hasHan(k) ? MIN_CONTAINED_HAN : MIN_CONTAINED_OTHER));
    const containing = names.filter((n) => n.keys.some((name) => long.some((k) => name.includes(k)))).map((n) => n.id);
    if (containing.length === 1) return { ok: true, forumId: containing[0]! };
    if (containing.length > 1) return { ok: false, code: 'ambiguous_forum', candidates: containing };
    return { ok: false, code: 'unknown_forum', candidates: [] };
  };
}

/** How a forum is named in an error message: `新材料 / Materials (materials)`. */
export function describeForum(f: ForumNames): string {
  const names = [...new Set([f.name.zh, f.name.en, f.name.de].filter((n) => n.trim() !== ''))];
  return `${names.slice(0, 2).join(' / ')} (${f.id})`;
}

/** The row error message for a value that matched no forum or several. */
export function forumMatchMessage(
  value: string,
  match: Extract<ForumMatch, { ok: false }>,
  forums: readonly ForumNames[],
): string {
  const shown = `"${value.slice(0, 80)}"`;
  if (match.code === 'ambiguous_forum') {
    const which = forums.filter((f) => match.candidates.includes(f.id)).map(describeForum);
    return `${shown} could be any of: ${which.join('; ')}`;
  }
  if (forums.length === 0) return `no sub-forum called ${shown}; this event has no sub-forums`;
  return `no sub-forum called ${shown}; the sub-forums are: ${forums.map(describeForum).join('; ')}`;
}
