// The backend's one door: every host (Electron IPC, the web host, the command
// line) sends contract requests to `handle` and listens with `on`, nothing else.
import { Backend, OpenApiOptions, openApiWithInternals } from './backend';

export type { Backend, OpenApiOptions } from './backend';
export { defaultDbPath, packageRoot, sampleDir } from '../paths';
// Hosts that read a message themselves (stdin, a file to label) read it with the backend's own limits.
export { readRegularFile } from '../files';
export { MAX_MESSAGE_FILE_BYTES } from '../ingest/sources';
export { memoryCredentials, type Credentials } from '../imap/credentials';

export async function openApi(opts: OpenApiOptions): Promise<Backend> {
  const { handle, on, close } = await openApiWithInternals(opts);
  return { handle, on, close };
}
