/**
 * The expressions of scheduled delivery (schedule-store.ts, fifo-schedule.ts), by name, beside
 * conditions.ts. Attribute names as in items.ts; `zp` marks a FIFO scheduled item that joined its
 * group (its tombstone keeps the sequence number it took).
 */
export const scheduleConditions = {
  /** Not yet deliverable, never received, still in the queue and within retention. */
  stillScheduled: 'attribute_not_exists(z) AND v > :now AND rc = :zero AND x > :now',
  /** Due now and untouched: not cancelled, not moved into its group by someone else. */
  dueAndWaiting: 'attribute_not_exists(z) AND v <= :now',
  neverReceived: 'rc = :zero',
} as const;
