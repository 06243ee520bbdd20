import type { ErrorKind } from './contract';

/** An error meant for the person using spamlab: its message says what and where. */
export class ApiError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
