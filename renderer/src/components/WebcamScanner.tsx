import { useEffect, useRef, useState } from 'react';
import { useForums } from '../forum-store.ts';
import { useT } from '../i18n.ts';
import { useKiosk } from '../store.ts';
import { decodeQr, isRepeat } from '../webcam.ts';

const FRAME_INTERVAL_MS = 150;

/**
 * A camera view that feeds decoded QR codes into the same scan path as the keyboard wedge, or to
 * `onCode` when given (the pairing QR in the Connect dialog).
 */
export function WebcamScanner({ onCode }: { onCode?: (code: string) => void } = {}) {
  const t = useT();
  const video = useRef<HTMLVideoElement>(null);
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  const [deviceId, setDeviceId] = useState('');
  const [mirror, setMirror] = useState(true);
  const [error, setError] = useState('');
  const last = useRef<{ code: string; at: number } | null>(null);
  const handler = useRef(onCode);
  useEffect(() => {
    handler.current = onCode;
  }, [onCode]);

  useEffect(() => {
    let stream: MediaStream | null = null;
    let timer = 0;
    let stopped = false;
    const canvas = document.createElement('canvas');
    const start = async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({
          video: deviceId ? { deviceId: { exact: deviceId } } : { width: 640, height: 480 },
        });
        if (stopped) return;
        setDevices((await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'videoinput'));
        const v = video.current!;
        v.srcObject = stream;
        await v.play();
        const tick = async () => {
          if (stopped) return;
          if (v.videoWidth > 0) {
            canvas.width = v.videoWidth;
            canvas.height = v.videoHeight;
            const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
            ctx.drawImage(v, 0, 0);
            const code = await decodeQr(ctx.getImageData(0, 0, canvas.width, canvas.height));
            const now = performance.now();
            if (code !== null && !isRepeat(last.current, code, now)) {
              last.current = { code, at: now };
              const forumDoor = useKiosk.getState().status?.device?.forumDoor ?? '';
              if (handler.current) handler.current(code);
              else if (forumDoor !== '') void useForums.getState().scan(code, now, false);
              else void useKiosk.getState().scan(code, now);
            } else if (code !== null) last.current = { code, at: last.current!.at };
          }
          timer = window.setTimeout(() => void tick(), FRAME_INTERVAL_MS);
        };
        void tick();
      } catch (e) {
        setError((e as Error).message);
      }
    };
    void start();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, [deviceId]);

  return (
    <div className="webcam" data-testid="webcam">
      <video ref={video} muted playsInline style={{ transform: mirror ? 'scaleX(-1)' : 'none' }} />
      <div className="webcam-controls">
        <select aria-label={t('webcam.camera')} value={deviceId} onChange={(e) => setDeviceId(e.target.value)}>
          <option value="">{t('webcam.defaultCamera')}</option>
          {devices.map((d, i) => (
            <option key={d.deviceId || i} value={d.deviceId}>
              {d.label || `${t('webcam.camera')} ${i + 1}`}
            </option>
          ))}
        </select>
        <label>
          <input type="checkbox" checked={mirror} onChange={(e) => setMirror(e.target.checked)} /> {t('webcam.mirror')}
        </label>
      </div>
      {error && <p className="bad">{error}</p>}
    </div>
  );
}
