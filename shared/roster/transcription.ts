import { pinyin } from 'pinyin-pro';
import { hasHan } from '../search/fold.ts';

const capitalized = (syllables: string[]): string => {
  const word = syllables.join('');
  return word.length === 0 ? '' : word[0]!.toUpperCase() + word.slice(1);
};

/**
 * The Latin transcription of a Chinese name as rosters write it, family name first: 欧阳 + 晓明 →
 * "Ouyang Xiaoming". Family names are read as surnames (单 → Shan, not Dan). '' for names without Han
 * characters: they are already in Latin script.
 */
export function pinyinTranscription(familyName: string, givenName: string): string {
  if (!hasHan(familyName) && !hasHan(givenName)) return '';
  const read = (text: string, surname: boolean): string =>
    capitalized(
      pinyin(text.replace(/\s+/g, ''), {
        toneType: 'none',
        type: 'array',
        ...(surname ? { surname: 'all' as const } : {}),
      }),
    );
  return [read(familyName, true), read(givenName, false)].filter((w) => w.length > 0).join(' ');
}
