// `node dist/web-host.js [--db FILE] [--port N]`: serves the app on 127.0.0.1.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDbPath, memoryCredentials, openApi, packageRoot, sampleDir } from '../backend/api';
import { startWebHost } from './server';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { db: { type: 'string' }, port: { type: 'string' } }, strict: true });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: expected a port number, got "${values.port}"`);
  const root = packageRoot(__dirname);
  const dbPath = values.db ?? defaultDbPath();
  const backend = await openApi({
    dbPath,
    sampleDir: sampleDir(root),
    credentials: memoryCredentials(process.env.SPAMLAB_IMAP_PASSWORD || null),
  });
  const host = await startWebHost({ backend, staticDir: path.join(root, 'dist', 'renderer'), port });
  console.log(`spamlab web host: ${host.url}  (database ${dbPath}; Ctrl-C to stop)`);
  const stop = async () => {
    await host.close();
    await backend.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: Error) => {
  console.error(`spamlab web host: ${err.message}`);
  process.exit(2);
});
