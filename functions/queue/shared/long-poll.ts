/**
 * Long polling itself, for both kinds, is shared/idle-poll.ts (watchedLongPoll): it reads the
 * queue's arrival tick and asks the store again only when something may be there.
 */

/** Waits in real time (backoff between lost races, pacing of redrives). */
export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
