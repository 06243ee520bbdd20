// The training worker's entry point (bundled to dist/training-worker.js).
import { parentPort } from 'node:worker_threads';
import { encodeWeights } from '../model/weights';
import { selectBackend } from './backend';
import type { FromWorker, ToWorker } from './protocol';
import { train, TrainingCancelled } from './trainer';

const port = parentPort;
if (!port) throw new Error('training-worker must run in a worker thread');

let cancelled = false;
const post = (message: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

async function start(message: Extract<ToWorker, { type: 'start' }>): Promise<void> {
  try {
    const backend = await selectBackend(message.settings.backend);
    post({ type: 'backend', backend });
    const output = await train(message.data, message.settings, message, {
      onSteps: (points) => post({ type: 'steps', points }),
      onEpoch: (point, examplesPerSecond) => post({ type: 'epoch', point, examplesPerSecond }),
      onFold: (fold, of) => post({ type: 'fold', fold, of }),
      isCancelled: () => cancelled,
    });
    const weights = new Uint8Array(encodeWeights(output.weights));
    post({ type: 'done', result: { ...output, weights } }, [weights.buffer as ArrayBuffer]);
  } catch (err) {
    if (err instanceof TrainingCancelled) post({ type: 'cancelled' });
    else post({ type: 'error', message: (err as Error).message ?? String(err) });
  }
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'cancel') cancelled = true;
  else void start(message);
});
