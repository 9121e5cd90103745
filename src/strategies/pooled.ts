import type { WorkerKind, WorkerPool } from './pool.js';
import type { Strategy } from './types.js';

/**
 * A mode that runs its checks on a pool of workers (threads or processes). The pool's code is loaded
 * when a sweep runs, not when the registry is read (`--help` lists the modes). `run` starts a pool for
 * the one sweep; `open` gives an instance that keeps its workers from sweep to sweep until closed.
 */
export function pooledStrategy(kind: WorkerKind, description: string): Strategy {
  const load = () => import('./pool.js');
  const strategy: Strategy = {
    description,
    run: async (sites, ctx) => (await load()).runPool(sites, ctx, kind),
    open() {
      let pool: Promise<WorkerPool> | null = null;
      return {
        ...strategy,
        run: async (sites, ctx) => {
          pool ??= load().then((m) => new m.WorkerPool(kind));
          return (await pool).run(sites, ctx);
        },
        close: async () => {
          await (await pool)?.close();
        },
      };
    },
  };
  return strategy;
}
