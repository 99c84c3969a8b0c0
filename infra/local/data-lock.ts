import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/**
 * One `npm start` per data directory. Two DynamoDB Locals on the same files corrupt each other's
 * view (the second answers 503s and leaves messages stuck in flight), so the second start is
 * refused at once. The lock is a file created exclusively, holding the owner's pid; it is removed
 * on exit, and a lock whose process is gone (killed with SIGKILL, a crash of the machine) is
 * stale and taken over. `npm run keys` does not take it: it only reads and writes a few items.
 */
export interface DataLock {
  path: string;
  release(): void;
}

export class StartRefused extends Error {}

interface Holder {
  pid: number;
  port?: number;
  startedAt?: string;
}

export function lockDataDir(dataDir: string, port: number): DataLock {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'npm-start.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, port, startedAt: new Date().toISOString() }));
      closeSync(fd);
      const release = () => {
        // Only our own lock: a later start may have taken over a lock we thought stale.
        if (readHolder(path)?.pid === process.pid) rmSync(path, { force: true });
        process.off('exit', release);
      };
      process.on('exit', release);
      return { path, release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readHolder(path);
    if (holder && isAlive(holder.pid)) {
      const where = holder.port === undefined ? '' : ` on port ${holder.port}`;
      throw new StartRefused(
        `another npm start (pid ${holder.pid}${where}) is already using the data directory ${dataDir}. ` +
          'Use that one, stop it first, or start this one with another QUEUE_DATA_DIR (or --in-memory).',
      );
    }
    // Stale: its process is gone. Remove it and try again (another start may win the race).
    rmSync(path, { force: true });
  }
  throw new StartRefused(`could not lock the data directory ${dataDir} (${path})`);
}

function readHolder(path: string): Holder | undefined {
  try {
    const holder = JSON.parse(readFileSync(path, 'utf8')) as Holder;
    return Number.isInteger(holder.pid) ? holder : undefined;
  } catch {
    return undefined; // half-written or unreadable: treated as stale
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Refuses at once when the port is taken, before a DynamoDB Local is started for nothing. */
export function requireFreePort(port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new StartRefused(
              `port ${port} on ${host} is already in use (another npm start?). ` +
                'Stop that process, or start this one on another port: PORT=9325 npm start',
            )
          : error.code === 'EACCES'
            ? new StartRefused(`port ${port} on ${host} needs privileges: use a port above 1023`)
            : error,
      ),
    );
    server.listen(port, host, () => server.close(() => resolve()));
  });
}
