/**
 * One logger per module: `const log = createLogger('checkin')`. JSON lines on stderr so that the CLI's
 * stdout stays one JSON document. Level from LANYARD_LOG (debug|info|warn|error), default warn.
 */
const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
type Level = keyof typeof LEVELS;

function threshold(): number {
  const wanted = process.env['LANYARD_LOG'];
  return wanted !== undefined && wanted in LEVELS ? LEVELS[wanted as Level] : LEVELS.warn;
}

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export function createLogger(module: string): Logger {
  const write = (level: Level, message: string, fields: Record<string, unknown> | undefined): void => {
    if (LEVELS[level] < threshold()) return;
    process.stderr.write(`${JSON.stringify({ t: new Date().toISOString(), level, module, message, ...fields })}\n`);
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}
