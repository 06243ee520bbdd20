// Picks the TensorFlow.js backend: native TensorFlow when @tensorflow/tfjs-node
// loads (it is optional and fails to install where libtensorflow cannot be
// downloaded), else WebAssembly, else plain JavaScript.
import * as tf from '@tensorflow/tfjs';
import type { TfBackendName } from '../../../shared/types';

const ORDER: TfBackendName[] = ['tensorflow', 'wasm', 'cpu'];

function register(name: TfBackendName): void {
  if (name === 'tensorflow') require('@tensorflow/tfjs-node');
  if (name === 'wasm') require('@tensorflow/tfjs-backend-wasm');
}

export async function selectBackend(requested?: TfBackendName): Promise<TfBackendName> {
  const failures: string[] = [];
  for (const name of requested ? [requested] : ORDER) {
    try {
      register(name);
      if ((await tf.setBackend(name)) && tf.getBackend() === name) {
        await tf.ready();
        return name;
      }
      failures.push(`${name}: not available`);
    } catch (err) {
      failures.push(`${name}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(`no TensorFlow.js backend could start (${failures.join('; ')})`);
}

export { tf };
