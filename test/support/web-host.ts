import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './cli';

export interface RunningHost {
  child: ChildProcess;
  url: URL;
  token: string;
}

/** The real web host (the built dist/web-host.js) on a database; resolves once it prints its address. */
export async function startHost(db: string): Promise<RunningHost> {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'web-host.js'), '--db', db], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const address = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = out.match(/http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/);
      if (match) resolve(match[0]);
    });
    // Read, so a host that writes much to stderr never blocks on a full pipe; kept for the message if it exits.
    child.stderr!.on('data', (chunk: Buffer) => (out = (out + chunk.toString()).slice(-10_000)));
    child.once('exit', () => reject(new Error(`web host exited: ${out}`)));
  });
  const url = new URL(address);
  return { child, url, token: url.searchParams.get('token')! };
}
