import { readFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { HttpFailure, parseBody, requireAdmin } from '../http/request.ts';
import { attendanceRowsOf, loadAttendance } from '../store/attendance.ts';
import { exportLanguages } from '../../shared/roster/export/labels.ts';
import { writeAttendanceFile } from '../export-worker.ts';
import { pageHtml, pageStrings, pickLanguage } from '../page/strings.ts';
import { FONT_ROUTE_PREFIX, loadPageFonts } from '../page/fonts.ts';
import { registerPageLiveRoutes } from './page-live.ts';

/**
 * The organisers' page: one static HTML page with its script and style as separate files (so a
 * strict Content-Security-Policy needs no 'unsafe-inline'), and the admin-token JSON routes it reads —
 * the live overview, the attendance export through the kiosk's writers, and a QR for pairing codes.
 */
export const adminPageRoutes = {
  page: '/',
  pageAlias: '/admin',
  script: '/admin.js',
  coreScript: '/admin-core.js',
  renderScript: '/admin-render.js',
  strings: '/admin-strings.js',
  charts: '/charts.js',
  /** charts.js imports the kiosk's chart geometry by its path in the repository; served type-stripped. */
  chartGeometry: '/shared/charts/geometry.ts',
  style: '/admin.css',
  /** The kiosk's fonts (Noto Sans, Noto Sans SC): their @font-face rules, and each subset file. */
  fontStyle: '/admin-fonts.css',
  font: `${FONT_ROUTE_PREFIX}/:fontPackage/:file`,
  export: '/v1/admin/events/:id/export',
  qr: '/v1/admin/qr',
} as const;

export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const EventParams = z.object({ id: z.string().min(1).max(200) });
const ExportQuery = z.object({
  format: z.enum(['csv', 'xlsx']).default('csv'),
  forum: z.string().max(200).default(''),
  /** The page sends its language: headers, sheets and forum names in it. */
  lang: z.enum(exportLanguages).optional(),
});
const QrQuery = z.object({ text: z.string().min(1).max(1000) });

const asset = (name: string): string => readFileSync(new URL(`../page/${name}`, import.meta.url), 'utf8');
const FontParams = z.object({ fontPackage: z.string().max(100), file: z.string().max(200) });
/** A font file's URL carries its package's version: a year in the cache, never looked up again. */
const FONT_CACHE = 'public, max-age=31536000, immutable';

/**
 * shared/charts/geometry.ts as the browser runs it: the same file the kiosk's renderer bundles, with its
 * types erased (the page has no build step; the module has no imports but types, which vanish with them).
 */
function chartGeometryScript(): string {
  const source = readFileSync(new URL('../../shared/charts/geometry.ts', import.meta.url), 'utf8');
  // Node 24 still calls this API experimental and prints a warning the first time (the very stripper
  // that runs our .ts files): it says nothing about this input, so it stays out of the server's output.
  const emitWarning = Object.getOwnPropertyDescriptor(process, 'emitWarning')!;
  process.emitWarning = () => undefined;
  try {
    return stripTypeScriptTypes(source, { mode: 'strip' });
  } finally {
    Object.defineProperty(process, 'emitWarning', emitWarning);
  }
}

/** A file name safe in a Content-Disposition header; the full name goes in filename* (RFC 6266). */
function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^A-Za-z0-9._-]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export function registerPageRoutes(app: FastifyInstance, ctx: AppContext): void {
  const admin = (request: FastifyRequest) => requireAdmin(request, ctx.adminTokenHash);
  const html = asset('admin.html');
  const script = asset('admin.js');
  const coreScript = asset('admin-core.js');
  const renderScript = asset('admin-render.js');
  const style = asset('admin.css');
  const charts = asset('charts.js');
  const fonts = loadPageFonts();
  const chartGeometry = chartGeometryScript();
  const stringsScript = `globalThis.LANYARD_PAGE_STRINGS = ${JSON.stringify(pageStrings)};\n`;

  const serve = (reply: FastifyReply, type: string, body: string) =>
    reply
      .header('content-type', type)
      .header('content-security-policy', PAGE_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('x-frame-options', 'DENY')
      .header('cache-control', 'no-store')
      .send(body);

  // The page in the reader's language from the first request on (Accept-Language; the page has a switch).
  const page = async (request: FastifyRequest, reply: FastifyReply) =>
    serve(reply, 'text/html; charset=utf-8', pageHtml(html, pickLanguage(request.headers['accept-language'])));
  app.get(adminPageRoutes.page, page);
  app.get(adminPageRoutes.pageAlias, page);
  app.get(adminPageRoutes.strings, async (_request, reply) =>
    serve(reply, 'text/javascript; charset=utf-8', stringsScript),
  );
  app.get(adminPageRoutes.charts, async (_request, reply) => serve(reply, 'text/javascript; charset=utf-8', charts));
  app.get(adminPageRoutes.chartGeometry, async (_request, reply) =>
    serve(reply, 'text/javascript; charset=utf-8', chartGeometry),
  );
  app.get(adminPageRoutes.coreScript, async (_request, reply) =>
    serve(reply, 'text/javascript; charset=utf-8', coreScript),
  );
  app.get(adminPageRoutes.renderScript, async (_request, reply) =>
    serve(reply, 'text/javascript; charset=utf-8', renderScript),
  );
  app.get(adminPageRoutes.script, async (_request, reply) => serve(reply, 'text/javascript; charset=utf-8', script));
  app.get(adminPageRoutes.style, async (_request, reply) => serve(reply, 'text/css; charset=utf-8', style));
  app.get(adminPageRoutes.fontStyle, async (_request, reply) =>
    serve(reply, 'text/css; charset=utf-8', fonts.stylesheet),
  );
  app.get(adminPageRoutes.font, async (request, reply) => {
    const { fontPackage, file } = parseBody(FontParams, request.params);
    const font = await fonts.read(fontPackage, file);
    if (font === null) throw new HttpFailure(404, 'not_found', 'no such font file');
    return reply
      .header('content-type', font.type)
      .header('cache-control', FONT_CACHE)
      .header('x-content-type-options', 'nosniff')
      .send(font.data);
  });

  registerPageLiveRoutes(app, ctx);

  app.get(adminPageRoutes.export, async (request, reply) => {
    admin(request);
    const { id } = parseBody(EventParams, request.params);
    const query = parseBody(ExportQuery, request.query);
    const model = await loadAttendance(ctx.sql, id);
    if (model === null) throw new HttpFailure(404, 'not_found', `no event ${id}`);
    if (query.forum !== '' && !model.pkg.event.forums.some((f) => f.id === query.forum)) {
      throw new HttpFailure(404, 'not_found', `no forum ${query.forum}`);
    }
    const rows = attendanceRowsOf(model, query.forum);
    const base = `attendance-${id}${query.forum ? `-${query.forum}` : ''}`;
    const { event } = model.pkg;
    const locale = query.lang === undefined ? null : { lang: query.lang, forums: event.forums };
    const data = await writeAttendanceFile({ format: query.format, rows, event, locale });
    const file =
      query.format === 'csv'
        ? { name: `${base}.csv`, type: 'text/csv; charset=utf-8', data }
        : { name: `${base}.xlsx`, type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', data };
    request.log.info({ eventId: id, format: query.format, rows: rows.length }, 'attendance exported');
    return reply
      .header('content-type', file.type)
      .header('content-disposition', contentDisposition(file.name))
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .send(Buffer.from(file.data.buffer, file.data.byteOffset, file.data.byteLength));
  });

  app.get(adminPageRoutes.qr, async (request) => {
    admin(request);
    const { text } = parseBody(QrQuery, request.query);
    const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return { svg: `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}` };
  });
}
