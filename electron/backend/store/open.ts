import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../shared/errors';
import { assertWritablePlace, describeKind, makeFolder } from '../files';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations';

export type Db = Database.Database;

export interface OpenOptions {
  /** Migrate up to this version instead of the latest (used by migration tests). */
  targetVersion?: number;
}

/**
 * Opens (creating if needed) a spamlab database, refuses one from a newer
 * spamlab, backs up an older one before migrating it, and marks runs left
 * 'running' by a process that died as failed.
 */
export function openStore(file: string, opts: OpenOptions = {}): Db {
  const isMemory = file === ':memory:';
  if (!isMemory) {
    assertWritablePlace(file);
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (stat && !stat.isFile()) throw new ApiError('bad-input', `${file}: ${describeKind(stat)}, not a database file`);
    makeFolder(path.dirname(path.resolve(file)));
  }
  // Checked read-only first: switching to WAL rewrites the header, and a refused file must stay as it was.
  if (!isMemory && fs.existsSync(file)) withConnection(file, { readonly: true }, (db) => assertOurs(db, file));
  return withConnection(file, {}, (db) => {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, file, opts.targetVersion ?? SCHEMA_VERSION);
    if ((opts.targetVersion ?? SCHEMA_VERSION) === SCHEMA_VERSION) failInterruptedRuns(db);
    return db;
  });
}

/** Opens a connection and runs `use` on it; closes it unless `use` returns it. Errors name the file. */
function withConnection<T>(file: string, options: Database.Options, use: (db: Db) => T): T {
  let db: Db;
  try {
    db = new Database(file, options);
  } catch (err) {
    throw new ApiError('bad-input', `${file}: cannot open database (${(err as Error).message})`);
  }
  try {
    const result = use(db);
    if (result !== db) db.close();
    return result;
  } catch (err) {
    db.close();
    if (err instanceof ApiError) throw err;
    const message = (err as Error).message;
    throw new ApiError('bad-input', `${file}: not a usable spamlab database (${message})`);
  }
}

/** Refuses a database from a newer spamlab and an SQLite file that is not spamlab's. */
function assertOurs(db: Db, file: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new ApiError(
      'conflict',
      `${file}: this database has schema version ${current}, newer than this spamlab understands (${SCHEMA_VERSION}). ` +
        'Open it with a newer spamlab; it was not changed.',
    );
  }
  if (current === 0 && hasForeignTables(db)) {
    throw new ApiError('bad-input', `${file}: this SQLite file is not a spamlab database; it was not changed.`);
  }
}

function migrate(db: Db, file: string, target: number): void {
  assertOurs(db, file);
  const current = db.pragma('user_version', { simple: true }) as number;
  const pending = MIGRATIONS.filter((m) => m.version > current && m.version <= target);
  if (pending.length === 0) return;
  if (current > 0 && file !== ':memory:') backUp(db, file, current);
  for (const migration of pending) {
    writeTransaction(db, () => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    });
  }
}

function hasForeignTables(db: Db): boolean {
  const row = db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'`).get() as { n: number };
  return row.n > 0;
}

function backUp(db: Db, file: string, version: number): void {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const target = `${file}.v${version}-${stamp}.bak`;
  db.prepare('VACUUM INTO ?').run(target);
}

/** A run whose training process is gone can never finish: mark it failed. */
function failInterruptedRuns(db: Db): void {
  const running = db.prepare(`SELECT id, owner_pid AS pid FROM runs WHERE status = 'running'`).all() as Array<{
    id: number;
    pid: number | null;
  }>;
  const markFailed = db.prepare(
    `UPDATE runs SET status = 'failed', finished_at = ?, error = 'interrupted: spamlab stopped while this run was training'
     WHERE id = ? AND status = 'running'`,
  );
  for (const run of running) {
    if (run.pid === null || !isAlive(run.pid)) markFailed.run(Date.now(), run.id);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs `fn` in a transaction that takes the write lock at BEGIN. A deferred one
 * reads first and upgrades later, and fails at once (SQLITE_BUSY_SNAPSHOT, no
 * busy_timeout) when another process committed in between, as an import does.
 */
export function writeTransaction<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).immediate();
}

const statementCache = new WeakMap<Db, Map<string, Database.Statement>>();

/** A prepared statement, prepared once per connection: preparing costs more than running on hot paths. */
export function stmt(db: Db, sql: string): Database.Statement {
  let cache = statementCache.get(db);
  if (!cache) statementCache.set(db, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) cache.set(sql, (statement = db.prepare(sql)));
  return statement;
}

/** Reads a value of the settings table. */
export function getSetting(db: Db, key: string): string | null {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value ?? null;
}

export function setSetting(db: Db, key: string, value: string | null): void {
  if (value === null) db.prepare('DELETE FROM settings WHERE key = ?').run(key);
  else db.prepare('INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}
