import { useEffect, useRef } from 'react';
import { useForums } from '../forum-store.ts';
import { useT } from '../i18n.ts';
import { useKiosk } from '../store.ts';
import { warmUpAudio } from '../sounds.ts';
import { burstStart, burstTextInField, endsInBurst } from '../wedge.ts';

/** Search waits this long after the last human keystroke; a scanner burst never triggers a search. */
const SEARCH_DEBOUNCE_MS = 60;

/**
 * The one input at the door. A keyboard-wedge burst ending in Enter/Tab, a paste, or Enter with no
 * search result is a scan; slow typing searches as you type and Enter checks in the highlighted guest.
 * Bursts typed here are this input's own (the window-level capture in scan-capture.ts leaves it alone and
 * takes bursts everywhere else): every character of a code reaches the core as typed, however the
 * keyboard layout or an IME delivered it, for the core to normalise.
 */
export function ScanInput({ disabled }: { disabled: boolean }) {
  const t = useT();
  const ref = useRef<HTMLInputElement>(null);
  const keyTimes = useRef<number[]>([]);
  /** Where the caret stood at each key's keydown (parallel to keyTimes): where a burst's text begins. */
  const caretBefore = useRef<number[]>([]);
  const pasted = useRef(false);
  const timer = useRef<number | undefined>(undefined);
  const { search, scan, checkIn, select } = useKiosk.getState();
  const query = useKiosk((s) => s.query);

  // Keep the focus here: door staff never have to click before scanning.
  useEffect(() => {
    if (disabled) return;
    ref.current?.focus();
    const refocus = (): void => {
      window.setTimeout(() => {
        const active = document.activeElement;
        if (!useKiosk.getState().walkInOpen && (active === null || active === document.body)) ref.current?.focus();
      }, 0);
    };
    document.addEventListener('click', refocus);
    return () => document.removeEventListener('click', refocus);
  }, [disabled]);

  const reset = (): void => {
    keyTimes.current = [];
    caretBefore.current = [];
    pasted.current = false;
    window.clearTimeout(timer.current);
    if (ref.current) ref.current.value = '';
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>): void => {
    const now = performance.now();
    warmUpAudio();
    if (e.key === 'Enter' || e.key === 'Tab') {
      e.preventDefault();
      const field = e.currentTarget.value;
      const caretNow = e.currentTarget.selectionEnd ?? field.length;
      // A scanner's burst is the code, without letters a person typed before it; a paste is all code.
      const burstText = pasted.current
        ? null
        : burstTextInField(field, caretNow, keyTimes.current, caretBefore.current);
      const burst = burstText !== null || pasted.current;
      const text = burstText ?? field;
      const firstKeyAt = keyTimes.current[burstText === null ? 0 : burstStart(keyTimes.current)] ?? now;
      const state = useKiosk.getState();
      const chosen = state.results[state.selected];
      reset();
      if (text.trim().length === 0) return;
      const forumDoor = state.status?.device?.forumDoor ?? '';
      const useChosen = !burst && chosen !== undefined && state.query === text;
      if (forumDoor !== '') {
        // At a room door, a chosen search result enters with the guest's own code.
        void search('');
        void useForums.getState().scan(useChosen ? (chosen.codes[0] ?? text) : text, now, false, firstKeyAt);
      } else if (useChosen) void checkIn(chosen.id, now);
      else void scan(text, now, firstKeyAt);
      return;
    }
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      select(useKiosk.getState().selected + (e.key === 'ArrowDown' ? 1 : -1));
      return;
    }
    if (e.key === 'Escape') {
      reset();
      void search('');
      return;
    }
    if (e.key.length === 1) {
      // A long pause starts a new entry: the previous keys were a person, not this scan.
      const last = keyTimes.current[keyTimes.current.length - 1];
      if (last !== undefined && now - last > 1000) {
        keyTimes.current = [];
        caretBefore.current = [];
      }
      keyTimes.current.push(e.timeStamp > 0 ? e.timeStamp : now);
      caretBefore.current.push(e.currentTarget.selectionStart ?? e.currentTarget.value.length);
    }
  };

  const onChange = (e: React.ChangeEvent<HTMLInputElement>): void => {
    const text = e.currentTarget.value;
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      // Mid-burst keystrokes come faster than the debounce, so a scan never lists search results.
      if (!endsInBurst(keyTimes.current) && !pasted.current) void search(text);
    }, SEARCH_DEBOUNCE_MS);
  };
  return (
    <label className="scan-input">
      <span>{t('door.inputLabel')}</span>
      <input
        ref={ref}
        data-testid="scan-input"
        data-scan-input="door"
        defaultValue={query}
        placeholder={t('door.inputPlaceholder')}
        autoComplete="off"
        spellCheck={false}
        disabled={disabled}
        onKeyDown={onKeyDown}
        onChange={onChange}
        onPaste={() => {
          pasted.current = true;
        }}
      />
    </label>
  );
}
