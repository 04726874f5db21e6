import { arrivalSeries, scanSeries, type ChartSeries } from '../../../../shared/charts/geometry.ts';
import type { ForumStatus } from '../../../../shared/domain.ts';
import { TIMELINE_BUCKET_SECONDS } from '../../../../shared/projection/timeline.ts';
import { useDoorName, useT } from '../../i18n.ts';
import { useLiveTimeline } from '../../live-timeline.ts';
import { useKiosk } from '../../store.ts';
import { ForumFillChart } from './ForumFillChart.tsx';
import { StackedBarChart } from './StackedBarChart.tsx';

/** At least an hour of 5-minute buckets on the axis, at most half a day (the latest). */
const MIN_BUCKETS = 12;
const MAX_BUCKETS = 144;

/**
 * The supervisor's live pictures: arrivals per 5 minutes stacked by door, scans per minute per desk in
 * the last hour (the queue, made visible) and the forums' fill — from the kiosk's own log and every door's
 * it pulled, through the projection the organisers' page uses. Times in the event's time zone.
 */
export function LiveCharts({ forums }: { forums: ForumStatus[] }) {
  const t = useT();
  const doorName = useDoorName();
  const locale = useKiosk((s) => s.locale);
  const timeZone = useKiosk((s) => s.status?.event?.timezone ?? 'UTC');
  const timeline = useLiveTimeline(TIMELINE_BUCKET_SECONDS.default);
  const format = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone });
  const timeOf = (ms: number) => format.format(new Date(ms));
  const viewerZone = new Intl.DateTimeFormat().resolvedOptions().timeZone;
  const named = (data: ChartSeries): ChartSeries => ({
    ...data,
    series: data.series.map((s) => ({ ...s, name: doorName(s.name) })),
  });
  /** The two stacked charts: what they draw, and their texts. */
  const stacked = [
    {
      id: 'live-arrivals',
      wide: true,
      data: timeline && named(arrivalSeries(timeline, MIN_BUCKETS, MAX_BUCKETS)),
      text: {
        title: 'live.arrivals',
        bar: 'live.arrivalsBar',
        summary: 'live.arrivalsSummary',
        empty: 'live.noArrivals',
      },
    },
    {
      id: 'live-scans',
      wide: false,
      data: timeline && named(scanSeries(timeline)),
      text: { title: 'live.scans', bar: 'live.scansBar', summary: 'live.scansSummary', empty: 'live.noScans' },
    },
  ] as const;
  const summary = (data: ChartSeries, key: (typeof stacked)[number]['text']['summary']) => {
    const sums = data.series.map((s) => ({ name: s.name, n: s.values.reduce((a, b) => a + b, 0) }));
    return t(key, {
      total: sums.reduce((a, s) => a + s.n, 0),
      from: data.starts.length > 0 ? timeOf(data.starts[0]!) : '',
      parts: sums.map((s) => `${s.name} ${s.n}`).join(', '),
    });
  };

  return (
    <section className="live" data-testid="live-charts" aria-labelledby="live-heading">
      <h2 id="live-heading">{t('live.heading')}</h2>
      {timeZone !== viewerZone && (
        <p className="muted" data-testid="live-zone">
          {t('live.zone', { zone: timeZone })}
        </p>
      )}
      <div className="live-grid">
        {stacked.map(({ id, wide, data, text }) => (
          <article key={id} className={wide ? 'live-card wide' : 'live-card'}>
            <h3>{t(text.title)}</h3>
            {data && (
              <StackedBarChart
                testId={id}
                data={data}
                timeOf={timeOf}
                describe={(time, door, n) => t(text.bar, { time, door, n })}
                summary={summary(data, text.summary)}
                emptyText={t(text.empty)}
              />
            )}
          </article>
        ))}
        <article className="live-card">
          <h3>{t('live.forums')}</h3>
          <ForumFillChart forums={forums} />
        </article>
      </div>
    </section>
  );
}
