// Training inside the worker. TensorFlow.js computes the BCE loss and its
// gradients; the parameters live in JavaScript arrays.
//
// Why not a tf.Variable embedding with tf.gather? Stock tfjs differentiates
// gather with UnsortedSegmentSum, which loops over every bucket on the cpu
// backend and is missing on wasm, and its optimizers update the whole table
// every step. Instead each batch copies the rows it touches into a small
// tensor E [U × dim], pools them with a dense batch matrix A [B × U] of
// feature values (pooled = A·E), and the optimizer updates those U rows only.
import type { CurvePoint, TrainSettings } from '../../../shared/types';
import { computeMetrics } from '../evaluation/metrics';
import { bce } from '../../../shared/bce';
import { probabilityOf } from '../model/infer';
import type { ModelWeights } from '../model/weights';
import { tf } from './backend';
import { createOptimizer, Optimizer } from './optimizer';
import { exampleCount, PackedExamples, StepPoint } from './protocol';
import { foldScale, logCountRatios, scaled } from './log-count-ratio';
import { classWeights } from './class-weights';
import { mulberry32, newestSplit, recencyWeights, shuffle, splitWithin, stratifiedFolds, stratifiedSplit, withoutOldest } from './split';

export class TrainingCancelled extends Error {
  constructor() {
    super('training cancelled');
  }
}

export interface TrainCallbacks {
  onSteps(points: StepPoint[]): void;
  onEpoch(point: CurvePoint, examplesPerSecond: number): void;
  onFold(fold: number, of: number): void;
  isCancelled(): boolean;
}

const STEP_POST_INTERVAL_MS = 100;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

function example(data: PackedExamples, i: number) {
  const start = data.offsets[i]!;
  const end = data.offsets[i + 1]!;
  return { ids: data.ids.subarray(start, end), values: data.values.subarray(start, end) };
}

const predict = (weights: ModelWeights, data: PackedExamples, i: number) => {
  const e = example(data, i);
  return probabilityOf(weights, e.ids, e.values);
};

function initialWeights(settings: TrainSettings, buckets: number, tokenizerVersion: number, prior: number, seed: number): ModelWeights {
  const random = mulberry32(seed);
  const normal = (scale: number) => scale * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const logistic = settings.model === 'logistic';
  const dim = logistic ? 1 : settings.embeddingDim;
  const hidden = logistic ? 0 : settings.hiddenUnits;
  return {
    kind: settings.model,
    buckets,
    dim,
    hidden,
    tokenizerVersion,
    // Zero rows: untouched buckets contribute nothing and the saved model stays sparse.
    table: new Float32Array(buckets * dim),
    w1: Float32Array.from({ length: dim * hidden }, () => normal(Math.sqrt(2 / (dim + hidden)))),
    // A positive hidden bias keeps ReLUs active while the table is still zero, so gradients reach it.
    b1: new Float32Array(hidden).fill(0.1),
    w2: Float32Array.from({ length: hidden }, () => normal(Math.sqrt(1 / Math.max(1, hidden)))),
    bias: prior,
  };
}

/** Weight of a spam and of a ham example in the loss. */

function cloneWeights(w: ModelWeights): ModelWeights {
  return { ...w, table: w.table.slice(), w1: w.w1.slice(), b1: w.b1.slice(), w2: w.w2.slice() };
}

interface Batch {
  A: Float32Array;
  rows: number[];
  targets: Float32Array;
  weights: Float32Array;
}

/**
 * Gathers a batch's unique buckets and its pooling matrix. `slot` maps bucket → column and is left all −1.
 * Each example weighs its class's weight, times its recency weight when there are any.
 */
function buildBatch(
  data: PackedExamples,
  indices: number[],
  slot: Int32Array,
  cw: { spam: number; ham: number },
  recency: Float64Array | null,
): Batch {
  const rows: number[] = [];
  for (const i of indices) {
    for (let k = data.offsets[i]!; k < data.offsets[i + 1]!; k++) {
      const id = data.ids[k]!;
      if (slot[id] === -1) slot[id] = rows.push(id) - 1;
    }
  }
  const A = new Float32Array(indices.length * rows.length);
  indices.forEach((i, r) => {
    for (let k = data.offsets[i]!; k < data.offsets[i + 1]!; k++) A[r * rows.length + slot[data.ids[k]!]!] += data.values[k]!;
  });
  for (const id of rows) slot[id] = -1;
  const targets = Float32Array.from(indices, (i) => data.targets[i]!);
  const weights = Float32Array.from(indices, (i, r) => (targets[r] === 1 ? cw.spam : cw.ham) * (recency ? recency[i]! : 1));
  return { A, rows, targets, weights };
}

/** One optimizer step; returns the batch's mean weighted BCE. */
async function trainStep(w: ModelWeights, batch: Batch, optimizer: Optimizer, l2: number, bias: Float32Array): Promise<number> {
  const B = batch.targets.length;
  const U = batch.rows.length;
  const rowValues = new Float32Array(U * w.dim);
  batch.rows.forEach((id, u) => rowValues.set(w.table.subarray(id * w.dim, (id + 1) * w.dim), u * w.dim));
  const outputs = tf.tidy(() => {
    const A = tf.tensor2d(batch.A, [B, U]);
    const y = tf.tensor1d(batch.targets);
    const sampleWeight = tf.tensor1d(batch.weights);
    // Stable BCE on logits: max(z, 0) − z·y + log(1 + e^−|z|).
    const loss = (logits: tf.Tensor1D) =>
      tf.mean(
        tf.mul(tf.add(tf.sub(tf.relu(logits), tf.mul(logits, y)), tf.log1p(tf.exp(tf.neg(tf.abs(logits))))), sampleWeight),
      ) as tf.Scalar;
    const E = tf.tensor2d(rowValues, [U, w.dim]);
    const b = tf.scalar(bias[0]!);
    if (w.kind === 'logistic') {
      const { value, grads } = tf.valueAndGrads((e: tf.Tensor, c: tf.Tensor) =>
        loss(tf.add(tf.reshape(tf.matMul(A, e as tf.Tensor2D), [B]), c)),
      )([E, b]);
      return [value, ...grads];
    }
    const W1 = tf.tensor2d(w.w1, [w.dim, w.hidden]);
    const b1 = tf.tensor1d(w.b1);
    const W2 = tf.tensor2d(w.w2, [w.hidden, 1]);
    const forward = (e: tf.Tensor, c: tf.Tensor, v1: tf.Tensor, c1: tf.Tensor, v2: tf.Tensor) => {
      const hidden = tf.relu(tf.add(tf.matMul(tf.matMul(A, e as tf.Tensor2D), v1 as tf.Tensor2D), c1));
      return loss(tf.add(tf.reshape(tf.matMul(hidden, v2 as tf.Tensor2D), [B]), c));
    };
    const { value, grads } = tf.valueAndGrads(forward)([E, b, W1, b1, W2]);
    return [value, ...grads];
  });
  const [value, gE, gb, gW1, gb1, gW2] = await Promise.all(outputs.map((t) => t.data()));
  outputs.forEach((t) => t.dispose());
  optimizer.nextStep();
  const dim = w.dim;
  optimizer.update('table', w.table, gE as Float32Array, (k) => batch.rows[Math.floor(k / dim)]! * dim + (k % dim), l2);
  optimizer.update('bias', bias, gb as Float32Array, (k) => k, 0);
  if (w.kind === 'mlp') {
    optimizer.update('w1', w.w1, gW1 as Float32Array, (k) => k, l2);
    optimizer.update('b1', w.b1, gb1 as Float32Array, (k) => k, 0);
    optimizer.update('w2', w.w2, gW2 as Float32Array, (k) => k, l2);
  }
  w.bias = bias[0]!;
  return (value as Float32Array)[0]!;
}

interface FitResult {
  weights: ModelWeights;
  bestEpoch: number;
  examplesPerSecond: number;
  cartography: Array<{ index: number; confidence: number; variability: number }>;
}

/**
 * Trains one model on `train`, reporting validation loss per epoch when a
 * validation set is given and stopping early on it.
 */
async function fit(
  data: PackedExamples,
  train: number[],
  validation: number[],
  settings: TrainSettings,
  shape: { buckets: number; tokenizerVersion: number },
  epochs: number,
  callbacks: TrainCallbacks,
  reportCurves: boolean,
): Promise<FitResult> {
  const trainTargets = train.map((i) => data.targets[i]!);
  const spamShare = Math.min(0.99, Math.max(0.01, trainTargets.filter((t) => t === 1).length / Math.max(1, train.length)));
  let weights = initialWeights(settings, shape.buckets, shape.tokenizerVersion, Math.log(spamShare / (1 - spamShare)), settings.seed);
  const bias = new Float32Array([weights.bias]);
  const optimizer = createOptimizer(settings.optimizer, settings.learningRate, {
    table: weights.table.length,
    bias: 1,
    w1: weights.w1.length,
    b1: weights.b1.length,
    w2: weights.w2.length,
  });
  const trainSpam = trainTargets.filter((t) => t === 1).length;
  const cw = classWeights(settings, trainSpam, trainTargets.length - trainSpam);
  const recency = recencyWeights(data.times, train, settings.recentHalfLifeDays);
  const random = mulberry32(settings.seed + 1);
  const slot = new Int32Array(shape.buckets).fill(-1);
  const confidenceSum = new Float64Array(train.length);
  const confidenceSquares = new Float64Array(train.length);
  let best = { loss: Infinity, epoch: 0, weights: weights };
  let pendingSteps: StepPoint[] = [];
  let lastPost = performance.now();
  let step = 0;
  let trainingSeconds = 0;
  let epochsRun = 0;

  for (let epoch = 0; epoch < epochs; epoch++) {
    const started = performance.now();
    const order = shuffle(train.slice(), random);
    let lossSum = 0;
    let lossCount = 0;
    for (let start = 0; start < order.length; start += settings.batchSize) {
      await yieldToEventLoop();
      if (callbacks.isCancelled()) throw new TrainingCancelled();
      const indices = order.slice(start, start + settings.batchSize);
      const loss = await trainStep(weights, buildBatch(data, indices, slot, cw, recency), optimizer, settings.l2, bias);
      lossSum += loss * indices.length;
      lossCount += indices.length;
      step++;
      if (reportCurves) {
        pendingSteps.push({ step, epoch, loss });
        if (performance.now() - lastPost >= STEP_POST_INTERVAL_MS) {
          callbacks.onSteps(pendingSteps);
          pendingSteps = [];
          lastPost = performance.now();
        }
      }
    }
    const epochSeconds = (performance.now() - started) / 1000;
    trainingSeconds += epochSeconds;
    epochsRun++;
    train.forEach((i, k) => {
      const p = predict(weights, data, i);
      const pTrue = data.targets[i] === 1 ? p : 1 - p;
      confidenceSum[k] += pTrue;
      confidenceSquares[k] += pTrue * pTrue;
    });
    if (reportCurves && pendingSteps.length) {
      callbacks.onSteps(pendingSteps);
      pendingSteps = [];
    }
    if (validation.length) {
      const probabilities = validation.map((i) => predict(weights, data, i));
      const targets = validation.map((i) => data.targets[i]!);
      const valLoss = probabilities.reduce((sum, p, k) => sum + bce(p, targets[k]!), 0) / validation.length;
      if (reportCurves) {
        const metrics = computeMetrics(probabilities, targets, 0.5);
        callbacks.onEpoch(
          { kind: 'epoch', step, epoch, trainLoss: lossSum / lossCount, valLoss, valAuc: metrics.rocAuc, valAccuracy: metrics.accuracy },
          lossCount / epochSeconds,
        );
      }
      if (valLoss < best.loss - 1e-6) best = { loss: valLoss, epoch, weights: cloneWeights(weights) };
      else if (settings.earlyStoppingPatience > 0 && epoch - best.epoch >= settings.earlyStoppingPatience) break;
    } else if (reportCurves) {
      callbacks.onEpoch(
        { kind: 'epoch', step, epoch, trainLoss: lossSum / lossCount, valLoss: null, valAuc: null, valAccuracy: null },
        lossCount / epochSeconds,
      );
    }
  }
  if (validation.length && best.weights !== weights) weights = best.weights;
  const cartography = train.map((index, k) => {
    const confidence = confidenceSum[k]! / epochsRun;
    return { index, confidence, variability: Math.sqrt(Math.max(0, confidenceSquares[k]! / epochsRun - confidence * confidence)) };
  });
  return {
    weights,
    bestEpoch: validation.length ? best.epoch : epochsRun - 1,
    examplesPerSecond: (train.length * epochsRun) / Math.max(trainingSeconds, 1e-9),
    cartography,
  };
}

export interface TrainOutput {
  weights: ModelWeights;
  predictions: Array<{ messageId: number; split: 'train' | 'validation' | 'oof'; probability: number }>;
  cartography: Array<{ messageId: number; confidence: number; variability: number }>;
  validationMetrics: ReturnType<typeof computeMetrics> | null;
  examplesPerSecond: number;
  bestEpoch: number;
  /** Messages the delivered model learned from: every labeled one when refit. */
  trainCount: number;
  validationCount: number;
  threshold: number;
}

/**
 * A lost ham costs this many missed spams. With calibrated probabilities the
 * threshold that minimises the expected cost is cost / (1 + cost).
 */
export const HAM_LOSS_COST = 9;

/** Where a run starts deciding: weighted losses already carry the cost of errors; plain BCE gives calibrated odds. */
const startingThreshold = (settings: TrainSettings) => (settings.classWeighting === 'none' ? HAM_LOSS_COST / (1 + HAM_LOSS_COST) : 0.5);

type Shape = { buckets: number; tokenizerVersion: number };

/** Fits on `train` (validating on `validation`), with NBSVM's scaling learned from `train` when asked; weights score unscaled features. */
async function fitScaled(
  data: PackedExamples,
  train: number[],
  validation: number[],
  settings: TrainSettings,
  shape: Shape,
  epochs: number,
  callbacks: TrainCallbacks,
  reportCurves: boolean,
): Promise<FitResult> {
  if (settings.featureScaling === 'none') return fit(data, train, validation, settings, shape, epochs, callbacks, reportCurves);
  const scale = logCountRatios(data, train, shape.buckets);
  const result = await fit(scaled(data, scale), train, validation, settings, shape, epochs, callbacks, reportCurves);
  return { ...result, weights: foldScale(result.weights, scale) };
}

export async function train(data: PackedExamples, settings: TrainSettings, shape: Shape, callbacks: TrainCallbacks): Promise<TrainOutput> {
  const n = exampleCount(data);
  // With the oldest share left out, those messages take no part: not trained on, not held out, not predicted.
  const all =
    settings.leaveOutOldest > 0 ? withoutOldest(data.targets, data.times, settings.leaveOutOldest) : Array.from({ length: n }, (_, i) => i);
  const splitOf = (targets: ArrayLike<number>, times: ArrayLike<number>) =>
    settings.holdout === 'newest'
      ? newestSplit(targets, times, settings.validationShare)
      : stratifiedSplit(targets, settings.validationShare, settings.seed);
  const split = all.length === n ? splitOf(data.targets, data.times) : splitWithin(all, data.targets, data.times, splitOf);
  const judged = await fitScaled(data, split.train, split.validation, settings, shape, settings.epochs, callbacks, true);
  const validationProbabilities = split.validation.map((i) => predict(judged.weights, data, i));
  const threshold = startingThreshold(settings);
  // At the threshold the run starts with, so hm% and sm% stored with it are the ones it filters with.
  const validationMetrics = split.validation.length
    ? computeMetrics(
        validationProbabilities,
        split.validation.map((i) => data.targets[i]!),
        threshold,
      )
    : null;
  // The holdout chose the epochs; the delivered model then learns from every message, the newest included.
  const refit = settings.refit && split.validation.length > 0;
  const delivered = refit ? await fitScaled(data, all, [], settings, shape, judged.bestEpoch + 1, callbacks, false) : judged;
  const predictions: TrainOutput['predictions'] = [
    ...split.train.map((i) => ({
      messageId: data.messageIds[i]!,
      split: 'train' as const,
      probability: predict(delivered.weights, data, i),
    })),
    ...split.validation.map((i, k) => ({
      messageId: data.messageIds[i]!,
      split: 'validation' as const,
      probability: validationProbabilities[k]!,
    })),
  ];

  if (settings.folds >= 2) {
    const folds = stratifiedFolds(data.targets, settings.folds, settings.seed);
    for (let fold = 0; fold < settings.folds; fold++) {
      callbacks.onFold(fold + 1, settings.folds);
      const held = all.filter((i) => folds[i] === fold);
      const rest = all.filter((i) => folds[i] !== fold);
      const model = await fitScaled(data, rest, [], settings, shape, judged.bestEpoch + 1, callbacks, false);
      for (const i of held)
        predictions.push({ messageId: data.messageIds[i]!, split: 'oof', probability: predict(model.weights, data, i) });
    }
  }
  return {
    weights: delivered.weights,
    predictions,
    cartography: judged.cartography.map((c) => ({
      messageId: data.messageIds[c.index]!,
      confidence: c.confidence,
      variability: c.variability,
    })),
    validationMetrics,
    examplesPerSecond: judged.examplesPerSecond,
    bestEpoch: judged.bestEpoch,
    trainCount: refit ? all.length : split.train.length,
    validationCount: split.validation.length,
    threshold,
  };
}
