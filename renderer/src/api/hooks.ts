import { useCallback, useEffect, useRef, useState } from 'react';
import type { EventName, Events, Method, RequestOf, ResponseOf } from '../../../shared/contract';
import { api } from './client';

/** Calls a method when its request or `refreshKey` changes; `reload` calls it again. */
export function useQuery<M extends Method>(method: M, request: RequestOf<M> | null, refreshKey: unknown = 0) {
  const key = JSON.stringify([request, refreshKey]);
  const [state, setState] = useState<{ data: ResponseOf<M> | null; error: string | null; loading: boolean }>({
    data: null,
    error: null,
    loading: request !== null,
  });
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (request === null) return;
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    api.call(method, request).then(
      (data) => current && setState({ data, error: null, loading: false }),
      (err: Error) => current && setState({ data: null, error: err.message, loading: false }),
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [method, key, version]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { ...state, reload };
}

/** Subscribes for the component's lifetime; the latest listener is always the one called. */
export function useEvent<E extends EventName>(event: E, listener: (payload: Events[E]) => void): void {
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => api.on(event, (payload) => latest.current(payload)), [event]);
}
