// The renderer's only door to the backend: one object with call and on,
// restricted to the contract's methods and events, and the path of a dropped file.
import { contextBridge, ipcRenderer, IpcRendererEvent, webUtils } from 'electron';
import { EventName, isMethod, Result, type SpamlabBridge } from '../shared/contract';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from './ipc-channels';

const bridge = {
  call(method: string, request: unknown): Promise<Result<unknown>> {
    if (!isMethod(method)) return Promise.resolve({ ok: false, error: { kind: 'not-found', message: `unknown method "${method}"` } });
    return ipcRenderer.invoke(INVOKE_CHANNEL, method, request);
  },
  on(event: EventName, listener: (payload: unknown) => void): () => void {
    const handler = (_e: IpcRendererEvent, name: EventName, payload: unknown) => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => ipcRenderer.off(EVENT_CHANNEL, handler);
  },
  pathForFile: (file: File) => webUtils.getPathForFile(file),
} satisfies SpamlabBridge;

contextBridge.exposeInMainWorld('spamlab', bridge);
