// `npm run soak -- http`: 100,000 requests against the real web host process,
// made from the contract's schemas (test/support/request-fuzz.ts): valid
// bodies for every method, bodies broken in one place, text that is not JSON,
// unknown and inherited method names, missing and wrong tokens, wrong verbs;
// eight at a time. The host must answer every one within the time limit, stay
// alive, answer a health request after, and answer every invalid request with
// a 4xx. Valid requests that write are kept safe: every path they name is in
// a temporary folder, and a valid training.start (one or two epochs) is sent
// at most once per 2,500 requests; the rest are left out and counted.
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { MAX_REQUEST_BYTES, requests, type Method, type Result } from '../shared/contract';
import { ROOT, spamlab, tempDir } from '../test/support/cli';
import { loadCorpus, writeMbox } from '../test/support/corpus';
import { exited } from '../test/support/crash';
import { INHERITED, invalidValue, Overrides, toJson, validValue } from '../test/support/request-fuzz';
import { startHost } from '../test/support/web-host';
import { runSoak } from './outcome';

const TOTAL = Number(process.env.SOAK_REQUESTS ?? 100_000);
const LANES = 8;
const TIME_LIMIT_MS = 20_000;
const TRAINING_EVERY = 2_500;
/** Counted in place of a status: the host refused a body over its limit and closed the connection while it was being sent. */
const CLOSED_OVER_LIMIT = 0;
const seed = Number(process.env.SOAK_SEED ?? Date.now() % 2 ** 31);
const dir = tempDir('soak-http');
const db = path.join(dir, 'spamlab.db');

// Files valid requests may name: all inside `dir`.
const mail = path.join(dir, 'mail');
const corpus = loadCorpus({ perGroup: 8 });
fs.mkdirSync(path.join(mail, 'folder'), { recursive: true });
writeMbox(path.join(mail, 'small.mbox'), corpus.slice(0, 20));
corpus.slice(20, 24).forEach((m, i) => fs.writeFileSync(path.join(mail, 'folder', `${i}.eml`), m.bytes));
fs.writeFileSync(path.join(mail, 'one.eml'), corpus[30]!.bytes);
fs.writeFileSync(path.join(mail, 'junk.bin'), Buffer.from([0, 1, 2, 255, 0, 0, 7]));
fs.writeFileSync(path.join(mail, 'rows.csv'), 'text,label\n"cheap pills now",spam\n"lunch tomorrow?",ham\n');
const readable = fc.constantFrom(
  ...['small.mbox', 'folder', 'one.eml', 'junk.bin', 'rows.csv', 'missing.eml'].map((name) => path.join(mail, name)),
  path.join(dir, 'models'),
);
const models = ['a.spamlab', 'b.spamlab', 'no-such-folder/c.spamlab'].map((name) => path.join(dir, 'models', name));
fs.mkdirSync(path.join(dir, 'models'));
const messageBytes = fc.oneof(
  fc.constantFrom(...corpus.slice(30, 40).map((m) => m.bytes.toString('base64'))),
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('base64')),
  fc.string({ maxLength: 50 }),
);

const OVERRIDES: Partial<Record<Method, Overrides>> = {
  'import.paths': { 'paths[]': readable },
  'import.request': { 'paths[]': readable },
  'classify.files': { 'paths[]': readable },
  'export.labels': { dir: fc.constantFrom(path.join(dir, 'export-a'), path.join(dir, 'export-b')) },
  'models.export': { file: fc.constantFrom(...models) },
  'models.import': { file: fc.oneof(fc.constantFrom(...models), readable) },
  'labels.setByContent': { raw: messageBytes },
  'classify.bytes': { 'messages[]': messageBytes },
  'filter.message': { message: messageBytes },
  'training.start': {
    'settings.epochs': fc.integer({ min: 1, max: 2 }),
    'settings.folds': fc.integer({ min: 0, max: 2 }),
    'settings.batchSize': fc.integer({ min: 16, max: 512 }),
    'settings.hiddenUnits': fc.integer({ min: 1, max: 16 }),
    'settings.embeddingDim': fc.integer({ min: 1, max: 8 }),
  },
};
/** Methods that cost a lot each time (an import starts its own parse workers; a whole export) are drawn less often than the others' 10. */
const WEIGHT: Partial<Record<Method, number>> = { 'import.paths': 2, 'import.sample': 1, 'export.labels': 1 };

type Kind = 'valid' | 'invalid body' | 'not JSON' | 'unknown method' | 'bad token' | 'wrong verb';
interface Planned {
  kind: Kind;
  method: string;
  verb: string;
  token: 'right' | 'none' | 'wrong' | 'wrong in query';
  body: string | Buffer;
}

const methods = Object.keys(requests) as Method[];
const byMethod = (make: (method: Method) => fc.Arbitrary<Omit<Planned, 'method'>>) =>
  fc.oneof(...methods.map((method) => ({ weight: WEIGHT[method] ?? 10, arbitrary: make(method).map((p) => ({ ...p, method })) })));
const plain = (kind: Kind, body: fc.Arbitrary<string | Buffer>) =>
  body.map((b) => ({ kind, verb: 'POST', token: 'right' as const, body: b }));
const validJson = (m: Method) => validValue(requests[m].spec, OVERRIDES[m]).map(toJson);
const notJson = (m: Method) =>
  fc.oneof(
    validJson(m).chain((text) => fc.nat({ max: Math.max(0, text.length - 2) }).map((at) => text.slice(0, at + 1))),
    fc.string({ minLength: 1, maxLength: 200 }),
    fc.constantFrom('{', '{"id":}', "{'id':1}", 'undefined', 'NaN', '{"a":1,}', '[1,2', '"unterminated', '\u0000', '{"__proto__":'),
    fc.integer({ min: 1, max: 200_000 }).map((n) => '['.repeat(n)),
    fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(b)])),
  );
/** As the host reads a body: an empty one is `{}`. */
const isJson = (body: string | Buffer) => {
  try {
    const text = body.toString();
    if (text === '') return true;
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

const planned: fc.Arbitrary<Planned> = fc.oneof(
  { weight: 45, arbitrary: byMethod((m) => plain('valid', validJson(m))) },
  { weight: 40, arbitrary: byMethod((m) => plain('invalid body', invalidValue(requests[m].spec, OVERRIDES[m]).map(toJson))) },
  {
    weight: 5,
    arbitrary: byMethod((m) =>
      plain(
        'not JSON',
        notJson(m).filter((b) => !isJson(b)),
      ),
    ),
  },
  {
    weight: 4,
    arbitrary: fc
      .tuple(
        fc.oneof(
          fc.constantFrom(...INHERITED, 'events', '', 'api', '..', 'dataset.stats/', 'DATASET.STATS', 'dataset.stats.', 'labels.set%00'),
          fc.stringMatching(/^[a-zA-Z._-]{1,40}$/),
          fc.constantFrom(...methods).map((m) => `${m}x`),
        ),
        fc.constant('{}'),
      )
      .filter(([name]) => !(methods as string[]).includes(name))
      .map(([method, body]) => ({ kind: 'unknown method' as const, method, verb: 'POST', token: 'right' as const, body })),
  },
  {
    weight: 4,
    arbitrary: byMethod((m) =>
      fc
        .tuple(validJson(m), fc.constantFrom('none' as const, 'wrong' as const, 'wrong in query' as const))
        .map(([body, token]) => ({ kind: 'bad token' as const, verb: 'POST', token, body })),
    ),
  },
  {
    weight: 2,
    arbitrary: byMethod((m) =>
      fc
        .tuple(validJson(m), fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'))
        .map(([body, verb]) => ({ kind: 'wrong verb' as const, verb, token: 'right' as const, body: verb === 'GET' ? '' : body })),
    ),
  },
);

async function main(): Promise<string[]> {
  // Labeled mail and one trained run, so requests about messages, runs and classifying find something.
  for (const label of ['spam', 'ham']) {
    const seeded = spamlab(['import', path.join(ROOT, 'resources', 'sample', `${label}.mbox`), '--label', label, '--db', db]);
    if (seeded.status !== 0) throw new Error(seeded.stderr);
  }
  if (spamlab(['train', '--db', db, '--epochs', '2']).status !== 0) throw new Error('the first training failed');
  const host = await startHost(db);
  let hostErrors = '';
  host.child.stderr!.on('data', (chunk: Buffer) => (hostErrors = (hostErrors + chunk.toString()).slice(-4000)));
  const started = performance.now();
  console.log(`http soak: seed ${seed}, ${TOTAL} requests, ${LANES} at a time, ${TIME_LIMIT_MS / 1000} s limit each`);

  const statuses = new Map<Kind, Map<number, number>>();
  const problems: string[] = [];
  let sent = 0;
  let hung = 0;
  let trainingsSent = 0;
  let trainingsLeftOut = 0;
  let slowest = 0;
  const timeByMethod = new Map<string, number>();
  /** What the handlers said to the valid requests: done, or refused as data (not found, bad input, conflict). */
  const validOutcomes = new Map<string, number>();
  const count = (kind: Kind, status: number) => {
    const byStatus = statuses.get(kind) ?? new Map<number, number>();
    statuses.set(kind, byStatus.set(status, (byStatus.get(status) ?? 0) + 1));
  };

  const send = async (p: Planned) => {
    const url = new URL(`/api/${p.method}`, host.url);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (p.token === 'right') headers['x-spamlab-token'] = host.token;
    if (p.token === 'wrong') headers['x-spamlab-token'] = host.token.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    if (p.token === 'wrong in query') url.searchParams.set('token', `${host.token}x`);
    const t0 = performance.now();
    try {
      const reply = await fetch(url, {
        method: p.verb,
        headers,
        body: p.verb === 'GET' || p.verb === 'HEAD' ? undefined : p.body,
        signal: AbortSignal.timeout(TIME_LIMIT_MS),
      });
      const text = await reply.text();
      const took = performance.now() - t0;
      slowest = Math.max(slowest, took);
      timeByMethod.set(p.method, (timeByMethod.get(p.method) ?? 0) + took);
      count(p.kind, reply.status);
      if (p.kind === 'valid' && reply.status === 200) {
        const result = JSON.parse(text) as Result<unknown>;
        const outcome = result.ok ? 'ok' : result.error.kind;
        validOutcomes.set(outcome, (validOutcomes.get(outcome) ?? 0) + 1);
      }
      const invalid = p.kind !== 'valid';
      if (reply.status >= 500 || (invalid && (reply.status < 400 || reply.status > 499))) {
        problems.push(`${p.kind} ${p.verb} ${p.method} ${p.body.toString().slice(0, 200)} → ${reply.status} ${text.slice(0, 300)}`);
      }
    } catch (err) {
      if ((err as Error).name === 'TimeoutError') {
        hung++;
        problems.push(`no answer within ${TIME_LIMIT_MS} ms: ${p.kind} ${p.method} ${p.body.toString().slice(0, 200)}`);
      } else if (Buffer.byteLength(p.body) > MAX_REQUEST_BYTES && host.child.exitCode === null) {
        // The host answers 413 and closes the connection without reading the rest: fetch, still sending, sees the close.
        count(p.kind, CLOSED_OVER_LIMIT);
      } else {
        const size = Buffer.byteLength(p.body);
        problems.push(
          `${p.kind} ${p.method} (${size} bytes): ${(err as Error).message} (host ${host.child.exitCode === null ? 'alive' : 'exited'})`,
        );
      }
    }
  };

  for (let chunk = 0; sent < TOTAL && host.child.exitCode === null; chunk++) {
    const queue = fc.sample(planned, { numRuns: 1000, seed: seed + chunk }).filter((p) => {
      if (p.kind !== 'valid' || p.method !== 'training.start') return true;
      const due = sent >= trainingsSent * TRAINING_EVERY;
      if (due) trainingsSent++;
      else trainingsLeftOut++;
      return due;
    });
    queue.length = Math.min(queue.length, TOTAL - sent);
    sent += queue.length;
    await Promise.all(
      Array.from({ length: LANES }, async () => {
        for (let p = queue.shift(); p; p = queue.shift()) await send(p);
      }),
    );
    if (sent % 10_000 < 1000 && chunk > 0) console.log(`  ${sent} requests, ${Math.round((performance.now() - started) / 1000)} s`);
  }
  const seconds = (performance.now() - started) / 1000;

  const health = await fetch(new URL('/api/dataset.stats', host.url), {
    method: 'POST',
    headers: { 'x-spamlab-token': host.token },
    body: '{}',
    signal: AbortSignal.timeout(TIME_LIMIT_MS),
  }).then(
    (r) => r.status,
    (err: Error) => err.message,
  );
  const alive = host.child.exitCode === null;
  if (health !== 200 || !alive)
    problems.push(`after the soak the host is ${alive ? 'alive' : 'gone'} and dataset.stats answered ${health}`);
  host.child.kill('SIGTERM');
  await exited(host.child);
  fs.rmSync(dir, { recursive: true, force: true });

  const line = (kind: Kind) => {
    const byStatus = [...(statuses.get(kind) ?? new Map<number, number>())].sort((a, b) => a[0] - b[0]);
    const total = byStatus.reduce((sum, [, n]) => sum + n, 0);
    const name = (status: number) => (status === CLOSED_OVER_LIMIT ? 'closed, body over 2 MB' : String(status));
    return `  ${kind}: ${total} (${byStatus.map(([status, n]) => `${name(status)}: ${n}`).join(', ')})`;
  };
  const fivexx = [...statuses.values()].reduce((sum, m) => sum + [...m].filter(([s]) => s >= 500).reduce((a, [, n]) => a + n, 0), 0);
  console.log(
    [
      `http soak: ${sent} requests in ${seconds.toFixed(0)} s (seed ${seed}); host alive after: ${alive}, health request: ${health}`,
      `  valid requests answered 200: ${[...validOutcomes]
        .sort((a, b) => b[1] - a[1])
        .map(([outcome, n]) => `${outcome} ${n}`)
        .join(', ')}`,
      ...(['valid', 'invalid body', 'not JSON', 'unknown method', 'bad token', 'wrong verb'] as Kind[]).map(line),
      `  most time in: ${[...timeByMethod]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 6)
        .map(([m, ms]) => `${m} ${(ms / 1000).toFixed(0)} s`)
        .join(', ')}`,
      `  5xx: ${fivexx}, hung: ${hung}, slowest answer ${Math.round(slowest)} ms; valid training.start sent ${trainingsSent}, left out ${trainingsLeftOut}`,
    ].join('\n'),
  );
  if (problems.length && hostErrors) problems.push(`web host stderr:\n${hostErrors}`);
  return problems;
}

runSoak('http', main);
