import { useRef } from 'react';
import { FORUM_MEASURES, forumBars, shortLabel, type ForumMeasure } from '../../../../shared/charts/geometry.ts';
import type { ForumStatus } from '../../../../shared/domain.ts';
import { useForumName, useT } from '../../i18n.ts';
import { useWidth } from '../../live-timeline.ts';
import { ChartLegend } from './ChartLegend.tsx';

const MEASURE_TEXT = { assigned: 'dash.assigned', arrived: 'dash.arrived', inside: 'dash.inside' } as const;

/** Forum fill: per forum, assigned / arrived / inside as bars against a band and a mark at the capacity. */
export function ForumFillChart({ forums }: { forums: ForumStatus[] }) {
  const t = useT();
  const forumName = useForumName();
  const box = useRef<HTMLDivElement>(null);
  const width = useWidth(box, 600);
  const layout = forumBars({ width, rows: forums });
  const what = (m: ForumMeasure) => t(MEASURE_TEXT[m]);
  const describe = (f: ForumStatus, m: ForumMeasure) =>
    t('live.forumBar', { forum: forumName(f), what: what(m), n: f[m], capacity: f.capacity });
  const drawn = layout.rows.reduce((n, r) => n + r.bars.filter((b) => b.value > 0).length, 0);
  return (
    <div ref={box} className="chart" data-testid="live-forums" data-bars={drawn}>
      {forums.length === 0 ? (
        <p className="muted">{t('forumSetup.none')}</p>
      ) : (
        <>
          <svg
            width={width}
            height={layout.height}
            role="img"
            aria-label={forums.map((f) => FORUM_MEASURES.map((m) => describe(f, m)).join(', ')).join('; ')}
          >
            {layout.rows.map((row, i) => {
              const f = forums[i]!;
              return (
                <g key={f.id} data-forum-id={f.id} className={row.full ? 'forum-row full' : 'forum-row'}>
                  <text className="forum-label" x={row.labelX} y={row.labelY} textAnchor="end">
                    <title>{forumName(f)}</title>
                    {shortLabel(forumName(f), 20)}
                  </text>
                  <rect className="capacity-band" {...row.capacity} />
                  {row.bars.map((b) => (
                    <rect
                      key={b.measure}
                      className={`measure-${b.measure}`}
                      x={b.x}
                      y={b.y}
                      width={b.width}
                      height={b.height}
                      data-measure={b.measure}
                      data-value={b.value}
                    >
                      <title>{describe(f, b.measure)}</title>
                    </rect>
                  ))}
                  <line
                    className="capacity-mark"
                    x1={row.markX}
                    x2={row.markX}
                    y1={row.capacity.y - 2}
                    y2={row.capacity.y + row.capacity.height + 2}
                  >
                    <title>{`${t('live.capacity')}: ${f.capacity}`}</title>
                  </line>
                </g>
              );
            })}
          </svg>
          <ChartLegend
            items={[
              ...FORUM_MEASURES.map((m) => ({ key: m, name: what(m), className: `measure-${m}` })),
              { key: 'capacity', name: t('live.capacity'), className: 'capacity-band' },
            ]}
          />
          <p className="muted legend-full">{t('live.full')}</p>
        </>
      )}
    </div>
  );
}
