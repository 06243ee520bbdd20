// What every command shares: argument parsing, output, errors and the backend's lifetime.
import { parseArgs, ParseArgsConfig } from 'node:util';
import type { Label } from '../../shared/types';
import { openApi, Backend } from '../backend/api';
import { defaultDbPath } from '../backend/paths';

export class UsageError extends Error {}

const common = { db: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } as const;

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, positionals = false) {
  try {
    return parseArgs({ args, options: { ...common, ...options }, allowPositionals: positionals, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export const print = (value: unknown) => process.stdout.write(`${typeof value === 'string' ? value : JSON.stringify(value)}\n`);

export function number(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new UsageError(`--${name}: expected a number, got "${value}"`);
  return n;
}

export function labelOption(value: string | undefined): Label | null {
  if (value === undefined) return null;
  if (value !== 'spam' && value !== 'ham') throw new UsageError(`--label: expected spam or ham, got "${value}"`);
  return value;
}

/** A one-line progress display on a terminal; silent when stderr is not one. */
export function progressLine() {
  let last = 0;
  return {
    update(text: string) {
      if (!process.stderr.isTTY || Date.now() - last < 100) return;
      last = Date.now();
      process.stderr.write(`\r\x1b[2K${text.slice(0, (process.stderr.columns ?? 80) - 1)}`);
    },
    done() {
      if (process.stderr.isTTY && last > 0) process.stderr.write('\r\x1b[2K');
    },
  };
}

export async function withBackend<T>(dbFile: string | undefined, work: (backend: Backend) => Promise<T>): Promise<T> {
  const backend = await openApi({ dbPath: dbFile ?? defaultDbPath(), indexSearchInBackground: false });
  try {
    return await work(backend);
  } finally {
    await backend.close();
  }
}
