// No request, however malformed, may end the web host: a corpus of broken
// request lines, paths, headers and bodies sent over raw TCP to the real host
// process, which must still answer a normal request after each one.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/cli';
import { RunningHost, startHost } from '../support/web-host';

let dir: string;
let host: RunningHost;

beforeAll(async () => {
  dir = tempDir('malformed');
  host = await startHost(path.join(dir, 'spamlab.db'));
});
afterAll(() => {
  host.child.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Sends raw bytes and collects whatever comes back until the host closes or goes quiet. */
function sendRaw(bytes: Buffer | string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(Number(host.url.port), '127.0.0.1');
    const chunks: Buffer[] = [];
    const done = () => {
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    };
    socket.setTimeout(1_500, done);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', done);
    socket.on('error', done);
    socket.end(bytes);
  });
}

function corpus(port: string, token: string): [string, Buffer | string][] {
  const hostHeader = `Host: 127.0.0.1:${port}\r\n`;
  const get = (target: string) => `GET ${target} HTTP/1.1\r\n${hostHeader}Connection: close\r\n\r\n`;
  const post = (target: string, headers: string, body: Buffer | string) =>
    Buffer.concat([
      Buffer.from(`POST ${target} HTTP/1.1\r\n${hostHeader}x-spamlab-token: ${token}\r\nConnection: close\r\n${headers}\r\n`),
      Buffer.from(body),
    ]);
  const api = '/api/dataset.stats';
  return [
    ['lone percent', get('/%')],
    ['bad escape', get('/%ZZ')],
    ['truncated UTF-8 escape', get('/%E0%A4%A')],
    ['escaped NUL', get('/index.html%00.png')],
    ['escaped overlong slash', get('/%C0%AF..%C0%AFsecret')],
    ['raw //[', get('//[')],
    ['absolute form with broken IPv6', get('http://[::1/')],
    ['asterisk', get('*')],
    ['API path with bad escape', get(`/api/%?token=${token}`)],
    ['events with bad token escape', get('/api/events?token=%')],
    ['API method with NUL', post('/api/dataset.stats%00', 'Content-Length: 2\r\n', '{}')],
    ['empty request line', '\r\n\r\n'],
    ['binary request line', Buffer.from([0, 1, 2, 3, 0xff, 0xfe, 13, 10, 13, 10])],
    ['unknown HTTP version', `GET / HTTP/9.9\r\n${hostHeader}\r\n`],
    ['header without colon', `GET / HTTP/1.1\r\n${hostHeader}NoColonHere\r\n\r\n`],
    ['header with NUL', `GET / HTTP/1.1\r\n${hostHeader}X-A: a\0b\r\n\r\n`],
    ['oversize header', `GET / HTTP/1.1\r\n${hostHeader}X-Big: ${'a'.repeat(70_000)}\r\n\r\n`],
    ['no Host', 'GET / HTTP/1.1\r\n\r\n'],
    ['two Hosts', `GET / HTTP/1.1\r\n${hostHeader}${hostHeader}\r\n`],
    ['Host with control bytes', 'GET / HTTP/1.1\r\nHost: \x01\x7f:1\r\n\r\n'],
    ['Origin not a URL', `GET / HTTP/1.1\r\n${hostHeader}Origin: %%%\r\n\r\n`],
    ['token header twice', `POST ${api} HTTP/1.1\r\n${hostHeader}x-spamlab-token: a\r\nx-spamlab-token: b\r\nContent-Length: 0\r\n\r\n`],
    ['Content-Length not a number', post(api, 'Content-Length: abc\r\n', '{}')],
    ['negative Content-Length', post(api, 'Content-Length: -1\r\n', '{}')],
    ['conflicting Content-Lengths', post(api, 'Content-Length: 2\r\nContent-Length: 5\r\n', '{}')],
    ['Content-Length past the end', post(api, 'Content-Length: 100\r\n', '{}')],
    ['huge Content-Length', post(api, 'Content-Length: 99999999999999999999\r\n', '{}')],
    ['broken chunked body', post(api, 'Transfer-Encoding: chunked\r\n', 'zz\r\nnot hex\r\n')],
    ['chunked and Content-Length', post(api, 'Transfer-Encoding: chunked\r\nContent-Length: 2\r\n', '0\r\n\r\n')],
    ['invalid UTF-8 body', post(api, 'Content-Length: 4\r\n', Buffer.from([0xff, 0xfe, 0xc0, 0x80]))],
    ['JSON null', post(api, 'Content-Length: 4\r\n', 'null')],
    ['JSON array', post('/api/labels.set', 'Content-Length: 2\r\n', '[]')],
    ['JSON string', post('/api/messages.get', 'Content-Length: 5\r\n', '"abc"')],
    ['deeply nested JSON', post(api, `Content-Length: ${200_000}\r\n`, '['.repeat(100_000) + ']'.repeat(100_000))],
    ['__proto__ body', post('/api/labels.set', 'Content-Length: 29\r\n', '{"__proto__":{"polluted":1}}')],
    ['unknown method verb', `BREW / HTTP/1.1\r\n${hostHeader}\r\n`],
    ['CONNECT', `CONNECT 127.0.0.1:${port} HTTP/1.1\r\n${hostHeader}\r\n`],
    ['upgrade', `GET / HTTP/1.1\r\n${hostHeader}Connection: Upgrade\r\nUpgrade: websocket\r\n\r\n`],
    ['pipelined garbage after a request', get('/') + '\x00\x00GARBAGE %% //[\r\n\r\n'],
  ];
}

describe('web host under malformed requests', () => {
  it('answers every one with an error or closes the connection, and goes on answering', async () => {
    const cases = corpus(host.url.port, host.token);
    const answers: string[] = [];
    for (const [name, bytes] of cases) {
      const reply = await sendRaw(bytes);
      answers.push(`${name}: ${reply.split('\r\n')[0] || '(closed)'}`);
      expect(host.child.exitCode, `host exited after "${name}"`).toBeNull();
      const page = await fetch(new URL('/', host.url));
      expect(page.status, `after "${name}"`).toBe(200);
    }
    // These ask for the page in a form Node accepts (a repeated Host is dropped), so 200 or a closed socket are both fine.
    const allowed = ['two Hosts', 'upgrade', 'pipelined garbage after a request'];
    expect(answers.filter((line) => / 2\d\d /.test(line) && !allowed.some((name) => line.startsWith(`${name}:`)))).toEqual([]);
    for (const name of ['lone percent', 'bad escape', 'escaped NUL', 'raw //[', 'absolute form with broken IPv6'])
      expect(answers.find((line) => line.startsWith(`${name}:`))).toBe(`${name}: HTTP/1.1 400 Bad Request`);
  });
});
