import { useRef } from 'react';
import { stackedBars, type ChartSeries } from '../../../../shared/charts/geometry.ts';
import { useWidth } from '../../live-timeline.ts';
import { ChartLegend } from './ChartLegend.tsx';

const HEIGHT = 170;
/** Colours come from the style sheet (.series-0 … .series-7); a ninth series takes the first again. */
export const SERIES_COLOURS = 8;

/**
 * Stacked bars over time, drawn as SVG elements at the width the card has (no inline styles: colours are
 * classes). Each part has a <title> with its numbers; the chart as a whole an aria-label with the totals.
 */
export function StackedBarChart(props: {
  testId: string;
  data: ChartSeries;
  timeOf: (ms: number) => string;
  describe: (time: string, name: string, n: number) => string;
  summary: string;
  emptyText: string;
}) {
  const { data, timeOf } = props;
  const box = useRef<HTMLDivElement>(null);
  const width = useWidth(box, 600);
  const layout = stackedBars({
    width,
    height: HEIGHT,
    series: data.series.map((s) => s.values),
    bucketCount: data.starts.length,
    labelWidth: 40,
    firstBucket: Math.floor((data.starts[0] ?? 0) / data.bucketMs),
  });
  const empty = layout.rects.length === 0;
  return (
    <div ref={box} className="chart" data-testid={props.testId} data-bars={layout.rects.length}>
      {empty ? (
        <p className="muted">{props.emptyText}</p>
      ) : (
        <>
          <svg width={width} height={HEIGHT} role="img" aria-label={props.summary}>
            <title>{props.summary}</title>
            {layout.gridlines.map((g) => (
              <g key={g.value} className="grid">
                <line x1={layout.plot.left} x2={layout.plot.left + layout.plot.width} y1={g.y} y2={g.y} />
                <text x={layout.plot.left - 4} y={g.y + 4} textAnchor="end">
                  {g.value}
                </text>
              </g>
            ))}
            {layout.rects.map((r) => (
              <rect
                key={`${r.bucket}-${r.series}`}
                className={`series-${r.series % SERIES_COLOURS}`}
                x={r.x}
                y={r.y}
                width={r.width}
                height={r.height}
                data-series={data.series[r.series]!.key}
                data-value={r.value}
              >
                <title>{props.describe(timeOf(data.starts[r.bucket]!), data.series[r.series]!.name, r.value)}</title>
              </rect>
            ))}
            {layout.labels.map((l) => (
              <text key={l.bucket} className="tick" x={l.x} y={HEIGHT - 6} textAnchor="middle">
                {timeOf(data.starts[l.bucket]!)}
              </text>
            ))}
          </svg>
          <ChartLegend
            items={data.series.map((s, k) => ({ key: s.key, name: s.name, className: `series-${k % SERIES_COLOURS}` }))}
          />
        </>
      )}
    </div>
  );
}
