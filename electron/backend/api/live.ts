// The live copy of the active run (electron/backend/live/): its status and
// running score, saving it as a run, and forgetting what it learned.
import type { ApiContext, Handlers } from './context';
import { liveOf } from '../live/service';

export function createLiveHandlers(ctx: ApiContext): Handlers<'live.status' | 'live.save' | 'live.discard'> {
  const live = liveOf(ctx);
  return {
    'live.status': () => live.status(),
    'live.save': (request) => live.save(request.name),
    'live.discard': () => live.discard(),
  };
}
