import { accountFor } from './accounting';
import { checkDeliveries } from './deliveries';
import { checkLeases } from './leases';
import { checkStorage, type StorageFigures } from './storage';
import type { Accounting, CheckInput, Violation } from './types';

export type { Accounting, CheckInput, StorageFigures, Violation };

export interface CheckResult {
  violations: Violation[];
  accounting: Accounting[];
  storage: StorageFigures;
}

/** Runs every check of a finished run. */
export function runChecks(input: CheckInput): CheckResult {
  const queues = [input.main, input.deadLetter, input.retention];
  const main = accountFor(input, input.main, input.final.main);
  const retention = accountFor(input, input.retention, input.final.retention);
  const storage = checkStorage(input);
  return {
    violations: [
      ...main.violations,
      ...retention.violations,
      ...checkDeliveries(input, queues),
      ...checkLeases(input, queues),
      ...storage.violations,
    ],
    accounting: [main.accounting, retention.accounting],
    storage: storage.figures,
  };
}
