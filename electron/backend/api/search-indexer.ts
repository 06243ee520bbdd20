// Indexes the full-text backlog a few hundred messages at a time between
// requests, so a search after a large import (this app's, or the command
// line's) finds the index already built and requests never wait long behind it.
import type { Db } from '../store/open';
import { indexPendingSearch, pendingSearchCount } from '../store/search-index';

/** About 60 ms of indexing on a 2-core machine: requests wait at most that long behind a step. */
const MESSAGES_PER_STEP = 200;
const RETRY_MS = 5000;
/** Another process (the command line) may import while the app runs: its backlog is picked up within this long. */
const POLL_MS = 5000;

export interface SearchIndexer {
  /** Holds indexing off while an import writes (they would share one thread); releasing resumes it. */
  hold(): () => void;
  stop(): void;
}

export function createSearchIndexer(db: Db): SearchIndexer {
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let holds = 0;
  const step = () => {
    timer = null;
    if (stopped || holds > 0) return;
    try {
      if (indexPendingSearch(db, MESSAGES_PER_STEP) > 0) timer = setTimeout(step, 0);
    } catch {
      // Most likely another process (the command line) is writing: try again later; a search indexes what it needs itself.
      timer = setTimeout(step, RETRY_MS);
    }
  };
  const start = () => {
    if (!stopped && holds === 0 && timer === null && pendingSearchCount(db) > 0) timer = setTimeout(step, 0);
  };
  start();
  const poll = setInterval(start, POLL_MS);
  poll.unref();
  return {
    hold() {
      holds++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        holds--;
        start();
      };
    },
    stop() {
      stopped = true;
      clearInterval(poll);
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}
