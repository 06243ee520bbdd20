// What the crash harness (test/integration/kill.test.ts) and the kill soak
// (soak/kills.soak.ts) share: killing a child, waiting, reading a database
// that another process may still hold, and checking it after a kill.
import Database from 'better-sqlite3';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { openStore } from '../../electron/backend/store/open';

export async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export const hasExited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

/** Resolves with the exit code (null when killed by a signal) once the child has ended. */
export function exited(child: ChildProcess): Promise<number | null> {
  if (hasExited(child)) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** Kills with SIGKILL and waits for the exit; false when the child had already ended by itself. */
export async function killAndWait(child: ChildProcess): Promise<boolean> {
  if (hasExited(child)) return false;
  const done = exited(child);
  child.kill('SIGKILL');
  await done;
  return true;
}

/** So every batch of 500 inserts 500 rows, none dropped as a duplicate. */
export function uniqueBodies<T extends { bytes: Buffer }>(messages: T[]): T[] {
  const seen = new Set<string>();
  return messages.filter((m) => {
    const hash = createHash('sha256').update(m.bytes).digest('hex');
    return !seen.has(hash) && seen.add(hash);
  });
}

/** One number from a read-only connection; 0 while the file or its tables do not exist yet. */
export function count(db: string, sql: string): number {
  try {
    const conn = new Database(db, { readonly: true, fileMustExist: true });
    try {
      return conn.prepare(sql).pluck().get() as number;
    } finally {
      conn.close();
    }
  } catch {
    return 0;
  }
}

export interface AfterKill {
  integrity: string;
  messages: number;
  labels: number;
  /** Runs still 'running' after the reopen marked the dead ones failed. */
  running: number;
  failedRuns: number;
}

/** Reopens the database as the app does (marking dead runs failed) and reads what a kill may have broken. */
export function reopenAfterKill(db: string): AfterKill {
  const store = openStore(db);
  try {
    const one = (sql: string) => store.prepare(sql).pluck().get() as number;
    return {
      integrity: store.pragma('integrity_check', { simple: true }) as string,
      messages: one('SELECT count(*) FROM messages'),
      labels: one('SELECT count(*) FROM labels'),
      running: one(`SELECT count(*) FROM runs WHERE status = 'running'`),
      failedRuns: one(`SELECT count(*) FROM runs WHERE status = 'failed'`),
    };
  } finally {
    store.close();
  }
}

export function messageIds(db: string): number[] {
  const store = openStore(db);
  try {
    return store.prepare('SELECT id FROM messages ORDER BY id').pluck().all() as number[];
  } finally {
    store.close();
  }
}
