import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startHttpHost } from '../../electron/host/http.ts';
import { tempDir } from '../support/temp.ts';

const START = path.resolve(import.meta.dirname, '../../electron/cli/start-electron.ts');

describe('starting Lanyard where a piece is missing', () => {
  it("npm start without Electron's program: one clear paragraph pointing at npm run web, exit 1", () => {
    // Electron's own override variable, pointed at an empty folder: no Electron program there.
    const empty = tempDir('no-electron');
    try {
      const r = spawnSync(process.execPath, [START, '--check'], {
        encoding: 'utf8',
        env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: empty.dir },
      });
      expect(r.status).toBe(1);
      const paragraph = r.stderr.trim();
      expect(paragraph).toContain("Electron's own program is not installed");
      expect(paragraph).toContain('npx install-electron');
      expect(paragraph).toContain('npm run web');
      expect(paragraph.split('\n')).toHaveLength(1); // one paragraph, no stack trace
      expect(r.stdout).toBe('');
    } finally {
      empty.cleanup();
    }
  });

  it('the loopback host without the built screens says how to build them', async () => {
    const empty = tempDir('no-renderer');
    try {
      await expect(
        startHttpHost({ dispatch: () => ({ ok: true, value: null }), staticDir: empty.dir, port: 0 }),
      ).rejects.toMatchObject({ code: 'renderer_missing', message: expect.stringContaining('npm run build:renderer') });
    } finally {
      empty.cleanup();
    }
  });
});
