import type { ApiClient, EventName, Events, Method, RequestOf, ResponseOf, Result, SpamlabBridge } from '../../../shared/contract';

declare global {
  interface Window {
    spamlab?: SpamlabBridge;
  }
}

function unwrap<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(result.error.message);
  return result.value as T;
}

/** Over HTTP to the web host: the token comes in the page's URL, and pushes arrive as server-sent events. */
function httpBridge(): SpamlabBridge {
  const token = new URLSearchParams(window.location.search).get('token') ?? '';
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let source: EventSource | null = null;
  const connect = () => {
    source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
    source.onmessage = (message) => {
      const { event, payload } = JSON.parse(message.data) as { event: EventName; payload: unknown };
      for (const listener of listeners.get(event) ?? []) listener(payload);
    };
  };
  return {
    async call(method, request) {
      const response = await fetch(`/api/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'x-spamlab-token': token },
        body: JSON.stringify(request),
      });
      // Errors come back as JSON with a 4xx/5xx status; anything else (a proxy's page, a dropped connection) is named here.
      if (!(response.headers.get('content-type') ?? '').startsWith('application/json'))
        return { ok: false, error: { kind: 'internal', message: `${method}: the host answered ${response.status} without a result` } };
      return (await response.json()) as Result<unknown>;
    },
    on(event, listener) {
      if (!source) connect();
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  };
}

export function createClient(): ApiClient {
  const bridge = window.spamlab ?? httpBridge();
  return {
    call: async <M extends Method>(method: M, request: RequestOf<M>) => unwrap<ResponseOf<M>>(await bridge.call(method, request)),
    on: <E extends EventName>(event: E, listener: (payload: Events[E]) => void) => bridge.on(event, listener as (payload: unknown) => void),
  };
}

export const api = createClient();

/** The paths of files dropped on the window: known in the desktop app only (null in a browser, which never reveals them). */
export function droppedPaths(files: FileList): string[] | null {
  const pathForFile = window.spamlab?.pathForFile;
  if (!pathForFile) return null;
  return [...files].map((file) => pathForFile(file)).filter(Boolean);
}
