import type { ScanStatus } from '../../shared/domain.ts';

/** Distinct tones per answer, made with Web Audio (no files, works offline, no decode latency). */
type Tone = [frequencyHz: number, durationMs: number];

const TONES: Record<ScanStatus | 'attention', Tone[]> = {
  checked_in: [
    [880, 90],
    [1320, 140],
  ],
  attention: [
    [880, 90],
    [1320, 90],
    [1760, 180],
  ],
  already_checked_in: [
    [660, 120],
    [660, 120],
  ],
  unknown_code: [[220, 350]],
  invalid_code: [
    [220, 200],
    [180, 350],
  ],
  cancelled: [
    [200, 180],
    [160, 300],
  ],
  blocked: [
    [200, 180],
    [160, 300],
  ],
};

let context: AudioContext | null = null;

/** Creating the AudioContext can take tens of ms; do it on the first keystroke, not on the first answer. */
export function warmUpAudio(): void {
  try {
    context ??= new AudioContext();
  } catch {
    // no audio device
  }
}

export function playFor(status: ScanStatus, attention: boolean): void {
  try {
    context ??= new AudioContext();
    let at = context.currentTime;
    for (const [frequency, duration] of TONES[attention && status === 'checked_in' ? 'attention' : status]) {
      const osc = context.createOscillator();
      const gain = context.createGain();
      osc.type =
        status === 'unknown_code' || status === 'invalid_code' || status === 'cancelled' || status === 'blocked'
          ? 'square'
          : 'sine';
      osc.frequency.value = frequency;
      gain.gain.setValueAtTime(0.2, at);
      gain.gain.exponentialRampToValueAtTime(0.001, at + duration / 1000);
      osc.connect(gain).connect(context.destination);
      osc.start(at);
      osc.stop(at + duration / 1000);
      at += duration / 1000 + 0.03;
    }
  } catch {
    // No audio device (a headless test, a muted kiosk): the colour still tells the answer.
  }
}
