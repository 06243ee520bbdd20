// The web host: the same API as the Electron window, over HTTP on 127.0.0.1,
// for a browser (tests, headless use, machines without Electron).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { type ErrorKind, EVENT_NAMES, MAX_REQUEST_BYTES } from '../../shared/contract';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';
import type { Backend } from '../backend/api';

export interface WebHost {
  /** The page's address, with the token the page needs. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export interface WebHostOptions {
  backend: Backend;
  staticDir: string;
  port?: number;
  token?: string;
}

const HOST = '127.0.0.1';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

const refuse = (res: http.ServerResponse, status: number, message: string) =>
  sendJson(res, status, { ok: false, error: { kind: 'invalid-request', message } });

function sameToken(given: string | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Reads a body up to the limit; past it, answers 413 and stops reading. */
function readBody(req: http.IncomingMessage, res: http.ServerResponse): Promise<string | null> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_REQUEST_BYTES) {
      refuse(res, 413, `request body of ${declared} bytes is over the ${MAX_REQUEST_BYTES}-byte limit`);
      req.destroy();
      return resolve(null);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        refuse(res, 413, `request body is over the ${MAX_REQUEST_BYTES}-byte limit`);
        req.destroy();
        resolve(null);
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(null));
  });
}

async function serveStatic(staticDir: string, pathname: string, res: http.ServerResponse): Promise<void> {
  let relative: string;
  try {
    relative = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
  } catch {
    return refuse(res, 400, `malformed percent-escape in ${JSON.stringify(pathname)}`);
  }
  if (relative.includes('\0')) return refuse(res, 400, `NUL byte in ${JSON.stringify(pathname)}`);
  const file = path.resolve(staticDir, relative);
  if (!file.startsWith(path.resolve(staticDir) + path.sep)) return refuse(res, 403, 'outside the app folder');
  let data: Buffer;
  try {
    data = await fs.promises.readFile(file);
  } catch {
    return refuse(res, 404, `no such file: ${pathname}`);
  }
  res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream' });
  res.end(data);
}

/** HTTP status for an error the backend answered with. */
function statusOf(error: { kind: ErrorKind; message: string }): number {
  if (error.kind === 'invalid-request') return 400;
  if (error.kind === 'internal') return 500;
  if (error.kind === 'not-found' && error.message.startsWith('unknown method')) return 404;
  return 200;
}

/** Whatever a handler threw ends this one answer, never the host. */
function answerFailure(req: http.IncomingMessage, res: http.ServerResponse, err: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  req.resume();
  sendJson(res, 500, {
    ok: false,
    error: { kind: 'internal', message: `${req.method} ${req.url}: ${(err as Error)?.message ?? String(err)}` },
  });
}

export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const streams = new Set<http.ServerResponse>();
  let port = 0;

  const handleRequest = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    // A refused request's body is drained, so the client is not reset while still sending it.
    const reject = (status: number, message: string) => {
      req.resume();
      refuse(res, status, message);
    };
    const allowedHosts = [`${HOST}:${port}`, `localhost:${port}`];
    // A page on another site can resolve its own name to 127.0.0.1 (DNS rebinding); its Host header gives it away.
    if (!allowedHosts.includes(req.headers.host ?? ''))
      return reject(421, `unexpected Host header ${JSON.stringify(req.headers.host ?? '')}`);
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedHosts.some((h) => origin === `http://${h}`))
      return reject(403, `requests from ${origin} are not allowed`);
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://${HOST}:${port}`);
    } catch {
      return reject(400, `malformed request target ${JSON.stringify(req.url)}`);
    }

    if (!url.pathname.startsWith('/api/')) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return reject(405, 'only GET for pages');
      return serveStatic(opts.staticDir, url.pathname, res);
    }
    const given = (req.headers['x-spamlab-token'] as string | undefined) ?? url.searchParams.get('token');
    if (!sameToken(given ?? null, token)) return reject(401, 'missing or wrong token');

    if (url.pathname === '/api/events' && req.method === 'GET') {
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
      });
      res.write(': connected\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    if (req.method !== 'POST') return reject(405, 'API calls are POST requests');
    const method = url.pathname.slice('/api/'.length);
    const text = await readBody(req, res);
    if (text === null) return;
    let body: unknown;
    try {
      body = text === '' ? {} : JSON.parse(text);
    } catch {
      return refuse(res, 400, `${method}: the request body is not JSON`);
    }
    const result = await opts.backend.handle(method, body);
    sendJson(res, result.ok ? 200 : statusOf(result.error), result);
  };
  const server = http.createServer((req, res) => {
    handleRequest(req, res).catch((err: unknown) => answerFailure(req, res, err));
  });
  // A request line or header the parser cannot read never reaches a handler.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (err.code !== 'ECONNRESET' && socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  const unsubscribe = EVENT_NAMES.map((name) =>
    opts.backend.on(name, (payload) => {
      const frame = `data: ${JSON.stringify({ event: name, payload })}\n\n`;
      for (const stream of streams) stream.write(frame);
    }),
  );

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, HOST, () => resolve());
  });
  port = (server.address() as { port: number }).port;

  return {
    url: `http://${HOST}:${port}/?token=${token}`,
    port,
    token,
    async close() {
      unsubscribe.forEach((off) => off());
      for (const stream of streams) stream.end();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
