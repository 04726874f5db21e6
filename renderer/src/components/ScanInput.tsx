import { useEffect, useRef } from 'react';
import { useForums } from '../forum-store.ts';
import { useT } from '../i18n.ts';
import { useKiosk } from '../store.ts';
import { warmUpAudio } from '../sounds.ts';
import { scanLooksInProgress } from '../scan-capture.ts';

/** Search waits this long after the last human keystroke; a scanner burst never triggers a search. */
const SEARCH_DEBOUNCE_MS = 60;

/**
 * The one input at the door. Scanner bursts never reach it as text: the window-level capture
 * (scan-capture.ts) takes them, wherever focus is. Here: slow typing searches as you type, Enter checks
 * in the highlighted guest (or looks the typed text up as a code), and a pasted code + Enter is a scan.
 */
export function ScanInput({ disabled }: { disabled: boolean }) {
  const t = useT();
  const ref = useRef<HTMLInputElement>(null);
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
    pasted.current = false;
    window.clearTimeout(timer.current);
    if (ref.current) ref.current.value = '';
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>): void => {
    const now = performance.now();
    warmUpAudio();
    if (e.key === 'Enter' || e.key === 'Tab') {
      e.preventDefault();
      const text = e.currentTarget.value;
      const wasPasted = pasted.current;
      const state = useKiosk.getState();
      const chosen = state.results[state.selected];
      reset();
      if (text.trim().length === 0) return;
      const forumDoor = state.status?.device?.forumDoor ?? '';
      const useChosen = !wasPasted && chosen !== undefined && state.query === text;
      if (forumDoor !== '') {
        // At a room door, a chosen search result enters with the guest's own code.
        void search('');
        void useForums.getState().scan(useChosen ? (chosen.codes[0] ?? text) : text, now, false);
      } else if (useChosen) void checkIn(chosen.id, now);
      else void scan(text, now);
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
    }
  };

  const onChange = (e: React.ChangeEvent<HTMLInputElement>): void => {
    const text = e.currentTarget.value;
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      // The first key of a scanner burst lands here; the burst's other keys are withheld meanwhile.
      if (!scanLooksInProgress() && !pasted.current) void search(text);
    }, SEARCH_DEBOUNCE_MS);
  };
  return (
    <label className="scan-input">
      <span>{t('door.inputLabel')}</span>
      <input
        ref={ref}
        data-testid="scan-input"
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
