import type { ChaosConfig } from './config';

/**
 * The three queues of a run, created over REST before any fault is switched on: the work queue
 * (with the run's visibility timeout and a redrive policy), its dead-letter queue, and a queue
 * with the minimum retention that the run outlives.
 */
export interface RunQueues {
  main: string;
  deadLetter: string;
  retention: string;
}

export async function createQueues(url: string, runId: string, config: ChaosConfig): Promise<RunQueues> {
  const names = {
    main: `chaos-${runId}`,
    deadLetter: `chaos-${runId}-dlq`,
    retention: `chaos-${runId}-retention`,
  };
  await createQueue(url, { name: names.deadLetter });
  await createQueue(url, {
    name: names.main,
    visibilityTimeoutSeconds: config.visibilitySeconds,
    deadLetterQueue: names.deadLetter,
    maxReceiveCount: config.maxReceiveCount,
  });
  await createQueue(url, {
    name: names.retention,
    visibilityTimeoutSeconds: 1,
    retentionSeconds: config.retention.retentionSeconds,
  });
  return names;
}

/** Creates one queue over REST; anything but 201 (created) is an error. */
export async function createQueue(url: string, body: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${url}/queues`, { method: 'POST', body: JSON.stringify(body) });
  if (response.status !== 201)
    throw new Error(`creating ${body.name}: ${response.status} ${await response.text()}`);
}
