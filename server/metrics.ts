/**
 * Prometheus text exposition for the few numbers operators watch: events ingested, sync requests by
 * route and status, request latency. Counters are per instance; Prometheus sums across instances.
 */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export class Metrics {
  private eventsIngested = 0;
  private readonly requests = new Map<string, number>();
  private readonly latency = new Map<string, { buckets: number[]; sum: number; count: number }>();

  ingested(n: number): void {
    this.eventsIngested += n;
  }

  request(route: string, status: number, seconds: number): void {
    const key = `route="${route}",status="${status}"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    let h = this.latency.get(route);
    if (h === undefined) {
      h = { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 };
      this.latency.set(route, h);
    }
    BUCKETS.forEach((b, i) => {
      if (seconds <= b) h.buckets[i]! += 1;
    });
    h.sum += seconds;
    h.count += 1;
  }

  render(): string {
    const lines = [
      '# HELP lanyard_events_ingested_total Kiosk events stored for the first time.',
      '# TYPE lanyard_events_ingested_total counter',
      `lanyard_events_ingested_total ${this.eventsIngested}`,
      '# HELP lanyard_http_requests_total HTTP requests by route and status.',
      '# TYPE lanyard_http_requests_total counter',
      ...[...this.requests].map(([k, v]) => `lanyard_http_requests_total{${k}} ${v}`),
      '# HELP lanyard_http_request_duration_seconds Request latency by route.',
      '# TYPE lanyard_http_request_duration_seconds histogram',
    ];
    for (const [route, h] of this.latency) {
      BUCKETS.forEach((b, i) =>
        lines.push(`lanyard_http_request_duration_seconds_bucket{route="${route}",le="${b}"} ${h.buckets[i]}`),
      );
      lines.push(`lanyard_http_request_duration_seconds_bucket{route="${route}",le="+Inf"} ${h.count}`);
      lines.push(`lanyard_http_request_duration_seconds_sum{route="${route}"} ${h.sum}`);
      lines.push(`lanyard_http_request_duration_seconds_count{route="${route}"} ${h.count}`);
    }
    return `${lines.join('\n')}\n`;
  }
}
