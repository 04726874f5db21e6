import { useEffect } from 'react';
import { playFor } from './sounds.ts';
import { useKiosk } from './store.ts';

/**
 * Every answer gets its own sound, once: played where the door screen lives (always mounted), not in the
 * banner, which may move between the door column and the overlay without being a new answer.
 */
export function useAnswerSounds(): void {
  const banner = useKiosk((s) => s.banner);
  const id = banner?.id ?? 0;
  useEffect(() => {
    const current = useKiosk.getState().banner;
    if (current === null || current.id !== id) return;
    // The sound follows the paint: staff see the colour first, and audio set-up never delays it.
    if (current.kind === 'scan') playFor(current.result.status, current.result.attention !== null);
    if (current.kind === 'error') playFor('unknown_code', false);
  }, [id]);
}
