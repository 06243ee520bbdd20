// The web host's boundary: the contract's validation over real HTTP, and the
// defences of a server on 127.0.0.1 that any web page could try to reach.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_REQUEST_BYTES } from '../../shared/contract';
import { openApi, Backend } from '../../electron/backend/api';
import { openApiWithInternals } from '../../electron/backend/api/backend';
import { startWebHost, WebHost } from '../../electron/web/server';
import { tempDir } from '../support/cli';

let dir: string;
let backend: Backend;
let host: WebHost;

beforeAll(async () => {
  dir = tempDir('web');
  fs.mkdirSync(path.join(dir, 'static'));
  fs.writeFileSync(path.join(dir, 'static', 'index.html'), '<!doctype html><title>spamlab</title>');
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'not for the web');
  backend = await openApi({ dbPath: path.join(dir, 'spamlab.db') });
  host = await startWebHost({ backend, staticDir: path.join(dir, 'static') });
});
afterAll(async () => {
  await host.close();
  await backend.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw request, so tests can send what a browser never would (wrong Host, huge bodies). */
function request(opts: {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  port?: number;
}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: opts.port ?? host.port,
        agent: false,
        method: opts.method ?? 'GET',
        path: opts.path,
        headers: { host: `127.0.0.1:${host.port}`, ...opts.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

const call = (method: string, body: unknown, headers: Record<string, string> = {}) =>
  request({
    method: 'POST',
    path: `/api/${method}`,
    headers: { 'x-spamlab-token': host.token, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('web host', () => {
  it('listens on 127.0.0.1 only, with a random token in the URL', () => {
    expect(host.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/\\?token=[A-Za-z0-9_-]{32}$`));
  });

  it('answers a valid call with the result', async () => {
    const reply = await call('dataset.stats', {});
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ ok: true, value: expect.objectContaining({ messages: 0, spam: 0, ham: 0 }) });
  });

  it('rejects malformed requests with a message that names the field', async () => {
    const wrongType = JSON.parse((await call('messages.get', { id: 'seven' })).body);
    expect(wrongType).toEqual({ ok: false, error: { kind: 'invalid-request', message: 'id: expected a finite number, got string' } });
    const unknownField = JSON.parse((await call('labels.set', { id: 1, label: 'spam', extra: true })).body);
    expect(unknownField.error.message).toBe('extra: unknown field');
    const badEnum = JSON.parse((await call('labels.set', { id: 1, label: 'eggs' })).body);
    expect(badEnum.error.message).toBe('label: expected one of spam, ham, got "eggs"');
    const nested = JSON.parse((await call('training.start', { settings: { model: 'logistic' } })).body);
    expect(nested.error.message).toMatch(/^settings\.optimizer: expected one of/);
    const notJson = await request({
      method: 'POST',
      path: '/api/dataset.stats',
      headers: { 'x-spamlab-token': host.token },
      body: '{nope',
    });
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body).error.message).toMatch(/not JSON/);
  });

  it('refuses inherited names as unknown fields and integers past 2^53, with 400', async () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const reply = await request({
        method: 'POST',
        path: '/api/labels.set',
        headers: { 'x-spamlab-token': host.token },
        body: `{"id": 1, "label": "spam", "${name}": {"label": "ham"}}`,
      });
      expect(reply.status, name).toBe(400);
      expect(JSON.parse(reply.body), name).toEqual({ ok: false, error: { kind: 'invalid-request', message: `${name}: unknown field` } });
    }
    for (const offset of [1e300, 2 ** 53, -(2 ** 60)]) {
      const reply = await call('messages.list', { offset, limit: 10 });
      expect(reply.status, String(offset)).toBe(400);
      expect(JSON.parse(reply.body).error.kind).toBe('invalid-request');
    }
    expect(JSON.parse((await call('messages.list', { offset: 1e300, limit: 10 })).body).error.message).toBe(
      'offset: expected an integer within ±2^53, got 1e+300',
    );
  });

  it('answers 404 naming an unknown method', async () => {
    const reply = await call('messages.drop', {});
    expect(reply.status).toBe(404);
    expect(JSON.parse(reply.body).error.message).toBe('unknown method "messages.drop"');
  });

  it('bounds every field, so an oversize call over IPC (no HTTP limit there) is refused before any handler runs', async () => {
    const longText = await backend.handle('classify.text', { raw: 'x'.repeat(1_000_001) });
    expect(longText).toEqual({ ok: false, error: { kind: 'invalid-request', message: 'raw: longer than 1000000 characters' } });
    const manyIds = await backend.handle('queue.next', { order: 'newest', skip: Array.from({ length: 501 }, (_, i) => i + 1) });
    expect(manyIds).toEqual({ ok: false, error: { kind: 'invalid-request', message: 'skip: more than 500 items' } });
    const unknown = await backend.handle('messages.drop', {});
    expect(unknown).toEqual({ ok: false, error: { kind: 'not-found', message: 'unknown method "messages.drop"' } });
  });

  it('answers 500 with the error when the backend fails inside', async () => {
    const broken = await openApiWithInternals({ dbPath: path.join(dir, 'broken.db') });
    const brokenHost = await startWebHost({ backend: broken, staticDir: path.join(dir, 'static') });
    try {
      broken.context.db.exec('DROP TABLE labels');
      const reply = await request({
        method: 'POST',
        path: '/api/dataset.stats',
        headers: { host: `127.0.0.1:${brokenHost.port}`, 'x-spamlab-token': brokenHost.token },
        body: '{}',
        port: brokenHost.port,
      });
      expect(reply.status).toBe(500);
      expect(JSON.parse(reply.body)).toEqual({ ok: false, error: { kind: 'internal', message: expect.stringMatching(/no such table/) } });
    } finally {
      await brokenHost.close();
      await broken.close();
    }
  });

  it('refuses oversize bodies with 413', async () => {
    const reply = await request({
      method: 'POST',
      path: '/api/classify.text',
      headers: { 'x-spamlab-token': host.token },
      body: Buffer.alloc(MAX_REQUEST_BYTES + 10, 0x61),
    });
    expect(reply.status).toBe(413);
  });

  it('refuses calls without the token or with a wrong one', async () => {
    expect((await request({ method: 'POST', path: '/api/dataset.stats', body: '{}' })).status).toBe(401);
    expect((await call('dataset.stats', {}, { 'x-spamlab-token': 'guess' })).status).toBe(401);
    expect((await request({ path: '/api/events' })).status).toBe(401);
  });

  it('refuses a foreign Host header (DNS rebinding) and a foreign Origin', async () => {
    const rebound = await call('dataset.stats', {}, { host: `evil.example:${host.port}` });
    expect(rebound.status).toBe(421);
    const foreign = await call('dataset.stats', {}, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    const own = await call('dataset.stats', {}, { origin: `http://127.0.0.1:${host.port}` });
    expect(own.status).toBe(200);
  });

  it('serves the page with a strict Content-Security-Policy and never files outside its folder', async () => {
    const page = await request({ path: '/' });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(page.headers['content-security-policy']).toMatch(/object-src 'none'/);
    for (const attempt of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt']) {
      const reply = await request({ path: attempt });
      expect(reply.status, attempt).not.toBe(200);
      expect(reply.body).not.toContain('not for the web');
    }
  });
});
