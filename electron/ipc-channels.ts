import type { EventName, Result } from '../shared/contract';

export const INVOKE_CHANNEL = 'spamlab:call';
export const EVENT_CHANNEL = 'spamlab:event';

/** What the preload exposes as window.spamlab. */
export interface SpamlabBridge {
  call(method: string, request: unknown): Promise<Result<unknown>>;
  on(event: EventName, listener: (payload: unknown) => void): () => void;
  /** The file system path of a file dropped on the window (Electron only: a browser never reveals it). */
  pathForFile(file: File): string;
}
