// What every command shares: argument parsing, output, errors and the backend's lifetime.
import path from 'node:path';
import { parseArgs, ParseArgsConfig } from 'node:util';
import type { ApiClient, Method, RequestOf, ResponseOf } from '../../shared/contract';
import { ApiError } from '../../shared/errors';
import type { Label } from '../../shared/types';
import { defaultDbPath, openApi, OpenApiOptions } from '../backend/api';

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

/** An id flag (`--run`): a whole number from 1, the error naming the flag. */
export function id(value: string | undefined, name: string): number | undefined {
  const n = number(value, name);
  if (n !== undefined && (!Number.isInteger(n) || n < 1))
    throw new UsageError(`--${name}: expected an id (a whole number from 1), got "${value}"`);
  return n;
}

export function labelOption(value: string | undefined): Label | null {
  if (value === undefined) return null;
  if (value !== 'spam' && value !== 'ham') throw new UsageError(`--label: expected spam or ham, got "${value}"`);
  return value;
}

export const base64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

const typedPaths = new Map<string, string>();

/** The absolute path requests need; messages that name it show it as it was typed. */
export function absolute(typed: string): string {
  const resolved = path.resolve(typed);
  if (resolved !== typed) typedPaths.set(resolved, typed);
  return resolved;
}

/** A message from the backend with the paths made absolute for it written as they were typed. */
export const asTyped = (text: string) => [...typedPaths].reduce((out, [resolved, typed]) => out.split(resolved).join(typed), text);

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

/** Opens the backend for one command and gives it a client whose calls throw the backend's errors. */
export async function withBackend<T>(
  dbFile: string | undefined,
  work: (api: ApiClient) => Promise<T>,
  opts: Pick<OpenApiOptions, 'parseWorkersFor' | 'credentials'> = {},
): Promise<T> {
  const backend = await openApi({ dbPath: dbFile ?? defaultDbPath(), indexSearchInBackground: false, host: 'cli', ...opts });
  const api: ApiClient = {
    async call<M extends Method>(method: M, request: RequestOf<M>) {
      const result = await backend.handle(method, request);
      if (!result.ok) throw new ApiError(result.error.kind, result.error.message);
      return result.value as ResponseOf<M>;
    },
    on: backend.on,
  };
  try {
    return await work(api);
  } finally {
    await backend.close();
  }
}
