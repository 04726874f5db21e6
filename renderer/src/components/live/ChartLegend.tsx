/** A chart's legend: a coloured swatch (a class, no inline style) and a name per series. */
export function ChartLegend({ items }: { items: { key: string; name: string; className: string }[] }) {
  return (
    <ul className="chart-legend">
      {items.map((item) => (
        <li key={item.key}>
          <svg width="12" height="12" aria-hidden="true">
            <rect className={item.className} width="12" height="12" rx="2" />
          </svg>
          {item.name}
        </li>
      ))}
    </ul>
  );
}
