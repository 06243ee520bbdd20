// Main-thread side of training: starts the worker, relays its progress, and
// turns every ending (done, cancelled, crashed) into one outcome.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CurvePoint, TfBackendName, TrainSettings } from '../../../shared/types';
import { packageRoot } from '../paths';
import { FromWorker, PackedExamples, StepPoint, TrainingResult, ToWorker } from './protocol';

export type TrainingOutcome =
  { status: 'completed'; result: TrainingResult } | { status: 'cancelled' } | { status: 'failed'; error: string };

export interface TrainingHandlers {
  onBackend?(backend: TfBackendName): void;
  onSteps?(points: StepPoint[]): void;
  onEpoch?(point: CurvePoint, examplesPerSecond: number): void;
  onFold?(fold: number, of: number): void;
}

export interface TrainingInput {
  settings: TrainSettings;
  buckets: number;
  tokenizerVersion: number;
  /** Moved to the worker: unusable here once training starts. */
  data: PackedExamples;
}

/** How long a cancelled worker may take to stop by itself before it is terminated. */
const CANCEL_GRACE_MS = 1000;

export const workerScriptPath = () => path.join(packageRoot(__dirname), 'dist', 'training-worker.js');

export function startTraining(input: TrainingInput, handlers: TrainingHandlers): { done: Promise<TrainingOutcome>; cancel(): void } {
  // tfjs prints advice about tfjs-node to stderr when it starts: keep the worker's output out of the user's terminal.
  const worker = new Worker(workerScriptPath(), { stdout: true, stderr: true });
  worker.stdout.resume();
  worker.stderr.resume();
  let settled = false;
  let cancelTimer: NodeJS.Timeout | null = null;

  const done = new Promise<TrainingOutcome>((resolve) => {
    const finish = (outcome: TrainingOutcome) => {
      if (settled) return;
      settled = true;
      if (cancelTimer) clearTimeout(cancelTimer);
      resolve(outcome);
      void worker.terminate();
    };
    worker.on('message', (message: FromWorker) => {
      switch (message.type) {
        case 'backend':
          return handlers.onBackend?.(message.backend);
        case 'steps':
          return handlers.onSteps?.(message.points);
        case 'epoch':
          return handlers.onEpoch?.(message.point, message.examplesPerSecond);
        case 'fold':
          return handlers.onFold?.(message.fold, message.of);
        case 'done':
          return finish({ status: 'completed', result: message.result });
        case 'cancelled':
          return finish({ status: 'cancelled' });
        case 'error':
          return finish({ status: 'failed', error: message.message });
      }
    });
    worker.on('error', (err) => finish({ status: 'failed', error: `training worker crashed: ${err.message}` }));
    worker.on('exit', (code) =>
      finish(cancelTimer ? { status: 'cancelled' } : { status: 'failed', error: `training worker exited with code ${code}` }),
    );
  });

  const { data } = input;
  const start: ToWorker = {
    type: 'start',
    settings: input.settings,
    buckets: input.buckets,
    tokenizerVersion: input.tokenizerVersion,
    data,
  };
  worker.postMessage(start, [
    data.offsets.buffer,
    data.ids.buffer,
    data.values.buffer,
    data.targets.buffer,
    data.messageIds.buffer,
    data.times.buffer,
  ] as ArrayBuffer[]);

  return {
    done,
    cancel() {
      if (settled || cancelTimer) return;
      worker.postMessage({ type: 'cancel' } satisfies ToWorker);
      cancelTimer = setTimeout(() => void worker.terminate(), CANCEL_GRACE_MS);
    },
  };
}
