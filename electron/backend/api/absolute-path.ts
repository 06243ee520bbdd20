import path from 'node:path';
import { ApiError } from '../../../shared/errors';

/** A host's working folder is not the backend's: a path in a request must say where it is on its own. */
export function absolutePath(field: string, value: string, what = 'path'): string {
  if (!path.isAbsolute(value)) throw new ApiError('bad-input', `${field}: give an absolute ${what}, not "${value}"`);
  return value;
}
