import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';
import { spawnService } from './service-process.js';

export interface PromTarget {
  /** The scrape job's name (the `job` label); default `uptime-squirrel`. */
  job?: string;
  /** `HOST:PORT` of the server to scrape. */
  address: string;
  metricsPath?: string;
  /** Sent as `Authorization: Bearer` with each scrape. */
  bearerToken?: string;
}

export interface TestPrometheus {
  /** `http://127.0.0.1:PORT` */
  url: string;
  pid: number;
  /** An instant query through the HTTP API: the result vector, each sample's labels and value. */
  query(expr: string): Promise<{ metric: Record<string, string>; value: number }[]>;
  /** The scrape targets as the HTTP API reports them (health, lastError). */
  targets(): Promise<
    { health: string; lastError: string; scrapeUrl: string; labels: Record<string, string> }[]
  >;
  /** SIGTERM by PID, SIGKILL after 5 s; removes its folder. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * A real Prometheus (Debian's `prometheus`; scripts/ensure-test-deps.sh installs it) on 127.0.0.1 and a
 * port that was free a moment ago, with a temporary config and data folder, scraping each target
 * every second. Resolves once /-/ready answers.
 */
export async function startPrometheus(targets: PromTarget[]): Promise<TestPrometheus> {
  const dir = await mkdtemp(join(tmpdir(), 'uptime-squirrel-prometheus-'));
  const jobs = targets.map((t) => {
    const auth =
      t.bearerToken === undefined ? '' : `\n    authorization:\n      credentials: '${t.bearerToken}'`;
    return `  - job_name: ${t.job ?? 'uptime-squirrel'}
    metrics_path: ${t.metricsPath ?? '/metrics'}${auth}
    static_configs:
      - targets: ['${t.address}']`;
  });
  await writeFile(
    join(dir, 'prometheus.yml'),
    `global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
${jobs.join('\n')}
`,
  );
  let lastOutput = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const { child, output, spawnError, stop } = spawnService(
      'prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      5000,
    );
    const url = `http://127.0.0.1:${port}`;
    const until = Date.now() + 15_000;
    while (Date.now() < until && child.exitCode === null) {
      const ready = await Promise.race([
        fetch(`${url}/-/ready`).then(
          (r) => r.ok,
          () => false,
        ),
        spawnError.then((err) => {
          throw new Error(`cannot start prometheus (see scripts/ensure-test-deps.sh): ${err.message}`);
        }),
      ]);
      if (ready && child.pid !== undefined) {
        const pid = child.pid;
        return {
          url,
          pid,
          async query(expr) {
            const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
            const body = (await res.json()) as {
              status: string;
              data: { result: { metric: Record<string, string>; value: [number, string] }[] };
            };
            if (body.status !== 'success') throw new Error(`query ${expr}: ${JSON.stringify(body)}`);
            return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
          },
          async targets() {
            const res = await fetch(`${url}/api/v1/targets`);
            const body = (await res.json()) as {
              data: {
                activeTargets: {
                  health: string;
                  lastError: string;
                  scrapeUrl: string;
                  labels: Record<string, string>;
                }[];
              };
            };
            return body.data.activeTargets;
          },
          async stop() {
            await stop();
            await rm(dir, { recursive: true, force: true });
          },
        };
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    lastOutput = output().trim();
    await stop();
  }
  await rm(dir, { recursive: true, force: true });
  throw new Error(`prometheus did not start: ${lastOutput}`);
}

/** Runs `promtool` with arguments and optional stdin: its exit code and output. */
export function promtool(args: string[], input?: string): { code: number | null; output: string } {
  const run = spawnSync('promtool', args, { input, encoding: 'utf8', timeout: 30_000 });
  if (run.error)
    throw new Error(`cannot run promtool (see scripts/ensure-test-deps.sh): ${run.error.message}`);
  return { code: run.status, output: `${run.stdout}${run.stderr}` };
}
