import type { Site } from '../../core/site.js';
import type { LanePlan } from './lanes.js';
import { type BatchJob, type BatchOptions, PROTOCOL_VERSION, secretsIn, siteSpec } from './protocol.js';

export interface BatchSettings {
  sweep: string;
  /** Epoch ms. */
  deadline: number;
  options: BatchOptions;
  batchSize: number;
  /** The config's secrets: each batch carries those its own sites hold, and no other. */
  secrets: readonly string[];
}

/** The jobs of one lane: its sites, `batchSize` at a time, numbered from 0. */
export function batchJobs(sites: readonly Site[], lane: LanePlan, s: BatchSettings): BatchJob[] {
  const jobs: BatchJob[] = [];
  for (let start = 0; start < lane.indexes.length; start += s.batchSize) {
    const items = lane.indexes
      .slice(start, start + s.batchSize)
      .map((index) => ({ index, site: siteSpec(sites[index] as Site) }));
    const secrets = secretsIn(
      items.map((item) => item.site),
      s.secrets,
    );
    const job: BatchJob = {
      v: PROTOCOL_VERSION,
      sweep: s.sweep,
      batch: start / s.batchSize,
      deadline: s.deadline,
      options: s.options,
      secrets,
      items,
    };
    // Only with locations: a plain batch stays exactly what it was.
    if (lane.location !== undefined) job.location = lane.location;
    jobs.push(job);
  }
  return jobs;
}
