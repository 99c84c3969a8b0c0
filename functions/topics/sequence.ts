/**
 * FIFO sequence numbers: SNS's are large, non-consecutive and increasing within a message group.
 * Made of the publish time (ms, 13 digits) and a counter within the millisecond (7 digits), so
 * they increase within a process and, as time moves on, across processes. One per context.
 */
export class SequenceNumbers {
  private lastMs = 0;
  private counter = 0;

  next(now: number): string {
    if (now > this.lastMs) {
      this.lastMs = now;
      this.counter = 0;
    } else {
      this.counter++;
    }
    return `${String(this.lastMs).padStart(13, '0')}${String(this.counter).padStart(7, '0')}`;
  }
}
