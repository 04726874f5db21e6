import type { JobStatusView } from '../../shared/roster/contract-types.ts';
import type { LanyardError } from '../../shared/result.ts';
import { api } from './api/client.ts';

/** Polls a core job until it ends, reporting progress; resolves with its result or its error. */
export async function followJob(
  jobId: string,
  onProgress: (status: JobStatusView) => void,
): Promise<{ result: unknown } | { error: LanyardError }> {
  for (;;) {
    const r = await api['jobs.get']({ jobId });
    if (!r.ok) return { error: r.error };
    onProgress(r.value);
    if (r.value.state === 'done') return { result: r.value.result };
    if (r.value.error !== null) return { error: r.value.error };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function fileToBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}

export function downloadBase64(fileName: string, mime: string, dataBase64: string): void {
  const binary = atob(dataBase64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
