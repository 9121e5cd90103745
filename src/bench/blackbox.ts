import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort } from './ports.js';
import { processCpuMs, processPeakRssMb } from './proc-stat.js';

/**
 * Prometheus's blackbox_exporter (Debian's `prometheus-blackbox-exporter`, 0.23), started once for the
 * whole bench on a loopback port and measured through /proc: it is a daemon, so its start-up is not part
 * of a sweep, and a run's CPU is the difference of its utime + stime over the run.
 */
export const BLACKBOX_BIN = '/usr/bin/prometheus-blackbox-exporter';

export function blackboxExporterMissing(): string | null {
  return existsSync(BLACKBOX_BIN)
    ? null
    : `${BLACKBOX_BIN} is missing (apt-get install prometheus-blackbox-exporter; scripts/ensure-bench-deps.sh)`;
}

export interface BlackboxExporter {
  url: string;
  /** CPU so far and the peak RSS since the last resetPeak(). */
  usage(): { cpuMs: number; peakRssMb: number };
  /** Start a new peak RSS from the current one (Linux: 5 into /proc/PID/clear_refs). */
  resetPeak(): void;
  stop(): Promise<void>;
}

function healthy(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(`${url}/-/healthy`, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.setTimeout(1000, () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

/** Start the exporter with an `http_2xx` module that trusts `caFile`, and wait until it answers. */
export async function startBlackboxExporter(
  caFile: string | null,
  timeoutMs: number,
): Promise<BlackboxExporter> {
  const dir = await mkdtemp(join(tmpdir(), 'us-bench-blackbox-'));
  const config = join(dir, 'blackbox.yml');
  await writeFile(
    config,
    [
      'modules:',
      '  http_2xx:',
      '    prober: http',
      `    timeout: ${timeoutMs}ms`,
      '    http:',
      '      method: HEAD',
      '      preferred_ip_protocol: ip4',
      ...(caFile ? ['      tls_config:', `        ca_file: ${caFile}`] : []),
      '',
    ].join('\n'),
  );
  const port = await freeLoopbackPort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    BLACKBOX_BIN,
    [`--config.file=${config}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=error'],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = performance.now() + 10_000;
  while (!(await healthy(url))) {
    if (child.exitCode !== null || performance.now() > deadline) {
      await stop();
      throw new Error(`blackbox_exporter did not start on ${url}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const pid = child.pid as number;
  return {
    url,
    usage: () => ({ cpuMs: processCpuMs(pid) ?? Number.NaN, peakRssMb: processPeakRssMb(pid) }),
    resetPeak: () => writeFileSync(`/proc/${pid}/clear_refs`, '5'),
    stop,
  };
}
