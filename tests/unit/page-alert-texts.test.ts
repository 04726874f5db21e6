import { describe, expect, it } from 'vitest';
import { pageLanguages, pageStrings } from '../../server/page/strings.ts';
import { rejectReasons } from '../../shared/sync/protocol.ts';

/**
 * The organisers' page lists rejected records by kind: every refusal reason a server records (a kiosk's
 * push, a hub's relay) and the relay's own kinds read as words in 中文, English and Deutsch, never as the
 * bare code (which stays beside them, for whoever searches the logs).
 */
const relayAlertKinds = ['relay_refused', 'relay_handover_refused', 'unanswered'] as const;

describe('alert texts on the organisers’ page', () => {
  const text = (lang: (typeof pageLanguages)[number], code: string) =>
    (pageStrings[lang] as Record<string, string | undefined>)[`alert.${code}`];

  it('every alert kind and relay refusal has its words in every language', () => {
    const missing: string[] = [];
    for (const code of [...rejectReasons, ...relayAlertKinds]) {
      for (const lang of pageLanguages) {
        const words = text(lang, code);
        if (words === undefined || words.trim() === '' || words.includes(code)) missing.push(`${lang} ${code}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('each is written in its language', () => {
    for (const code of [...rejectReasons, ...relayAlertKinds]) {
      expect(text('zh-CN', code), code).toMatch(/\p{Script=Han}/u);
      expect(text('de', code), code).not.toBe(text('en', code));
    }
  });
});
