// The live worker (bundled to dist/live-worker.js): holds the live copy of the
// active run and learns each label off the main thread, so a label request
// never waits for it. It reads the database through its own connection.
import { parentPort } from 'node:worker_threads';
import { openLiveReader } from '../store/live';
import type { Db } from '../store/open';
import { LiveLearner } from './learner';
import type { FromLive, ToLive } from './protocol';

let db: Db | null = null;
let learner: LiveLearner | null = null;

const send = (message: FromLive, transfer: ArrayBufferLike[] = []) => parentPort!.postMessage(message, transfer as ArrayBuffer[]);

function ready(generation: number, live: LiveLearner): void {
  const table = live.weights.table.slice();
  const order = live.order();
  send({ type: 'ready', generation, table, learnedEventIds: [...live.learnedEventIds], order }, [table.buffer, order.buffer]);
}

function handle(message: ToLive): void {
  if (message.type === 'init') {
    db = openLiveReader(message.dbPath);
    learner = new LiveLearner(db, {
      runId: message.runId,
      sinceEventId: message.sinceEventId,
      threshold: message.threshold,
      withPool: true,
    });
    const ignored = new Set<number>();
    for (const event of message.events) learner.learn(event, ignored);
    return ready(message.generation, learner);
  }
  if (!learner) throw new Error('the live worker was not started');
  learner.threshold = message.threshold;
  if (message.type === 'reset') {
    learner.reset();
    const ignored = new Set<number>();
    for (const event of message.events) learner.learn(event, ignored);
    return ready(message.generation, learner);
  }
  const touched = new Set<number>();
  for (const event of message.events) learner.learn(event, touched);
  const ids = Uint32Array.from(touched).sort();
  const values = Float32Array.from(ids, (id) => learner!.weights.table[id]!);
  const order = learner.order();
  send({ type: 'updated', generation: message.generation, eventIds: message.events.map((e) => e.eventId), ids, values, order }, [
    ids.buffer,
    values.buffer,
    order.buffer,
  ]);
}

parentPort?.on('message', (message: ToLive) => {
  try {
    handle(message);
  } catch (err) {
    send({ type: 'error', generation: message.generation, message: (err as Error).message });
  }
});
