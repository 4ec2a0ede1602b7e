import { renderMarkdown, renderTable } from './report';
import {
  BenchOptions,
  CATALOG_READ,
  DatabaseResult,
  Latency,
  SIZES,
} from './types';

const options: BenchOptions = {
  root: '/repo',
  work: '/tmp/work',
  size: SIZES.bank,
  latencyMs: 100,
  awsRate: 20,
  concurrency: 4,
  requests: 200,
  chromium: '/usr/bin/chromium',
  backendHeapMb: 512,
  backendYoungMb: 32,
  historyDays: 90,
  policy: 'allow-all',
  hiddenComponents: 0,
  replicas: 1,
};

const VERDICT = "an entity's verdict";

const latency = (
  endpoint: string,
  clients: number,
  p95: number,
  perSecond = 400,
): Latency => ({ endpoint, clients, p50: p95 / 2, p95, perSecond, errors: 0 });

/** A database's result with a full cycle and the verdict and catalog read measured. */
function result(
  database: DatabaseResult['database'],
  verdictP95: number,
  catalogP95: number,
  cycle: { seconds: number; backendJsCpu: number } = {
    seconds: 12,
    backendJsCpu: 8,
  },
): DatabaseResult {
  return {
    database,
    full: {
      seconds: cycle.seconds,
      collectSeconds: cycle.seconds - 4,
      evaluateSeconds: 4,
      calls: 2426,
      throttled: 0,
      floorSeconds: 10.6,
      entities: 4784,
      failedAccountRegions: 0,
      backendJsCpu: cycle.backendJsCpu,
    },
    rss: {},
    latencies: [
      latency(VERDICT, 1, 6),
      latency(VERDICT, 10, verdictP95, 512),
      latency(CATALOG_READ, 1, 7),
      latency(CATALOG_READ, 10, catalogP95, 446),
    ],
    errors: [],
  };
}

/** The row of the table whose figure starts with `figure`. */
const rowOf = (table: string, figure: string) =>
  table.split('\n').find(line => line.startsWith(figure)) ?? '';

describe('the benchmark report', () => {
  it("sets Backstage's own read of an entity beside a verdict over its target", () => {
    const table = renderTable(options, [
      result('sqlite', 33, 50),
      result('postgres', 58, 34),
    ]);
    const row = rowOf(table, VERDICT);
    expect(row).toContain(
      "6 ms / 33 ms (512/s); Backstage's own read of one entity from its catalog, a request of the same shape (a permission round trip and a query): 50 ms (446/s) ✗",
    );
    expect(row).toContain('6 ms / 58 ms (512/s);');
    expect(row).toContain(': 34 ms (446/s) ✗');
  });

  it('says nothing more of a verdict within its target', () => {
    const table = renderTable(options, [result('sqlite', 27, 50)]);
    const row = rowOf(table, VERDICT);
    expect(row).toContain('6 ms / 27 ms (512/s) ✓');
    expect(row).not.toContain("Backstage's own read");
  });

  it('says a cycle past its target is bound by CPU when the JavaScript thread was busy longer than the target', () => {
    const bound = rowOf(
      renderTable(options, [
        result('sqlite', 27, 25, { seconds: 29.7, backendJsCpu: 22.7 }),
      ]),
      'full cycle at 100 ms',
    );
    expect(bound).toContain(
      "29.7 s (floor 10.6 s, 2.8×; CPU-bound: the backend's JavaScript thread was busy 22.7 s of it;",
    );
    expect(bound).toContain('✗');
    const met = rowOf(
      renderTable(options, [
        result('sqlite', 27, 25, { seconds: 12, backendJsCpu: 8 }),
      ]),
      'full cycle at 100 ms',
    );
    expect(met).toContain('12.0 s (floor 10.6 s, 1.1×) ✓');
  });

  it('writes the same rows into docs/benchmarks.md', () => {
    const markdown = renderMarkdown(options, [result('sqlite', 33, 50)], {
      cpus: 2,
      cpuModel: 'AMD EPYC',
      memoryGb: 24,
      node: 'v22.23.5',
      loadAverage: '1.41 1.34 1.50',
      date: '2026-12-05T12:06:15.210Z',
    });
    expect(markdown).toContain(
      '- **Machine**: 2 × AMD EPYC, 24 GB, Node v22.23.5, load average at the end 1.41 1.34 1.50; 2026-12-05T12:06:15.210Z.',
    );
    expect(markdown).toContain('| figure | SQLite | target |');
    expect(markdown).toContain(
      'a request of the same shape (a permission round trip and a query): 50 ms (446/s) ✗ | ≤ 30 ms at 10 clients |',
    );
  });
});
