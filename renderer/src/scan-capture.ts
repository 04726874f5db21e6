import { BurstDetector, WEDGE_GIVE_BACK_MS } from './wedge.ts';

/** A scan caught at the window: the code, and when its first key and its Enter/Tab arrived (performance.now). */
export interface CapturedScan {
  code: string;
  firstKeyAt: number;
  endAt: number;
}

/** The focused field as it was before a run's first key, to put back after a scan. */
interface FieldSnapshot {
  element: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
  value: string;
  selectionStart: number | null;
  selectionEnd: number | null;
}

function snapshotOf(target: EventTarget | null): FieldSnapshot | null {
  if (!(
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement
  )) {
    return null;
  }
  let selectionStart: number | null = null;
  let selectionEnd: number | null = null;
  if (!(target instanceof HTMLSelectElement)) {
    try {
      // Email and number inputs have no selection API: reading it throws.
      selectionStart = target.selectionStart;
      selectionEnd = target.selectionEnd;
    } catch {
      // keep null
    }
  }
  return { element: target, value: target.value, selectionStart, selectionEnd };
}

/**
 * Puts a field back as it was, through the value setter of its prototype and an input event, so React's
 * controlled inputs (the walk-in form) take the restored value into their state too.
 */
function restore(snapshot: FieldSnapshot): void {
  const { element } = snapshot;
  if (!element.isConnected) return;
  if (element.value !== snapshot.value) {
    const proto = Object.getPrototypeOf(element) as object;
    const setter = Object.getOwnPropertyDescriptor(proto, 'value')?.set;
    if (setter) setter.call(element, snapshot.value);
    else element.value = snapshot.value;
    element.dispatchEvent(new Event('input', { bubbles: true }));
    if (element instanceof HTMLSelectElement) element.dispatchEvent(new Event('change', { bubbles: true }));
  }
  if (!(element instanceof HTMLSelectElement) && snapshot.selectionStart !== null) {
    try {
      element.setSelectionRange(snapshot.selectionStart, snapshot.selectionEnd);
    } catch {
      // not a text field after all
    }
  }
}

/** Hands withheld keys back to the focused text field, at the caret, as if typed. */
function giveBack(text: string): void {
  if (text === '') return;
  const active = document.activeElement;
  if (active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement) {
    // insertText goes through the browser's editing path: caret, input events and undo all behave.
    document.execCommand('insertText', false, text);
  }
}

function isTextKey(e: KeyboardEvent): boolean {
  return e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey && !e.isComposing;
}

/**
 * Catches keyboard-wedge scans wherever focus is — a button, a dialog, another view, a field of a form —
 * at the window, in the capture phase, before any element sees the keys. A burst's keys are withheld
 * from the field from the second fast key on; at its Enter/Tab the field is put back exactly as it was
 * before the first key (value and caret), the Enter/Tab never reaches the page (no form is submitted,
 * focus does not move), and `onScan` answers it. Anything typed slowly passes through untouched.
 * Returns the uninstall function.
 */
export function installScanCapture(onScan: (scan: CapturedScan) => void): () => void {
  const detector = new BurstDetector();
  /** The focused field as it was just before each key of the run (what a scan restores). */
  let before: Array<FieldSnapshot | null> = [];
  let idleTimer: number | undefined;

  const stopIdleTimer = (): void => window.clearTimeout(idleTimer);
  const armIdleTimer = (): void => {
    stopIdleTimer();
    idleTimer = window.setTimeout(() => giveBack(detector.pause()), WEDGE_GIVE_BACK_MS);
  };

  const onKeyDown = (e: KeyboardEvent): void => {
    if (e.target instanceof HTMLElement && e.target.dataset['scanInput'] === 'door') {
      // The door's own input reads its bursts itself, every character as delivered (ScanInput.tsx).
      stopIdleTimer();
      giveBack(detector.idle());
      before = [];
      return;
    }
    const at = e.timeStamp > 0 ? e.timeStamp : performance.now();
    if (e.key === 'Enter' || e.key === 'Tab') {
      stopIdleTimer();
      const decision = detector.end(at);
      giveBack(decision.release);
      const snapshot = decision.fromKey === null ? null : (before[decision.fromKey] ?? null);
      before = [];
      if (decision.scan === null) return;
      e.preventDefault();
      e.stopImmediatePropagation();
      if (snapshot) restore(snapshot);
      onScan({ code: decision.scan, firstKeyAt: decision.firstKeyAt, endAt: at });
      return;
    }
    if (!isTextKey(e) || e.repeat) {
      // Shift and friends belong to the next character; any other key ends the run.
      if (e.key === 'Shift' || e.key === 'CapsLock') return;
      stopIdleTimer();
      giveBack(detector.idle());
      before = [];
      return;
    }
    const decision = detector.key(e.key, at);
    giveBack(decision.release);
    if (decision.runStart) before = [];
    before.push(snapshotOf(e.target));
    if (decision.withhold) {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
    armIdleTimer();
  };

  window.addEventListener('keydown', onKeyDown, { capture: true });
  return () => {
    stopIdleTimer();
    window.removeEventListener('keydown', onKeyDown, { capture: true });
  };
}
