// Many messages scored at once, without explanations: what mail filters and
// the command line need, as fast as parse workers make it.
import type { BatchScore, ClassifiedBatch } from '../../../shared/contract';
import type { ApiContext, Handlers } from './context';
import { createParsePool } from '../ingest/parse-pool';
import { MessageBytes, readFiles, vectorsInOrder, worthAParsePool } from '../features/message-vectors';
import { absolutePath } from './absolute-path';
import { scorerFor } from './classify';
import { hasListEntries, listDecision } from './sender-check';
import type { SenderList } from '../../../shared/sender-lists';

async function scoreAll(
  ctx: ApiContext,
  messages: Iterable<MessageBytes>,
  count: number,
  runId: number | undefined,
): Promise<ClassifiedBatch> {
  const scorer = scorerFor(ctx, runId);
  // Each message's list decision, taken as the messages pass on to be parsed, in the same order.
  const lists: Array<SenderList | null> = [];
  const checkLists = hasListEntries(ctx.db);
  function* checked(): Generator<MessageBytes> {
    for (const message of messages) {
      lists.push(checkLists && !('error' in message) ? listDecision(ctx.db, message) : null);
      yield message;
    }
  }
  // Without workers started with the backend, a large batch gets its own for as long as it takes.
  const ownPool = ctx.parsePool === null && worthAParsePool(count) ? createParsePool() : null;
  try {
    const scores: BatchScore[] = [];
    for await (const parsed of vectorsInOrder(checked(), ctx.parsePool ?? ownPool, scorer.buckets)) {
      const list = lists[scores.length] ?? null;
      if ('error' in parsed) {
        scores.push(parsed);
        continue;
      }
      const probability = scorer.probability(parsed.vector);
      scores.push(
        Number.isFinite(probability)
          ? { probability, list }
          : { error: `run ${scorer.runId}'s model gives no probability (${probability}): its weights are not finite numbers` },
      );
    }
    return { runId: scorer.runId, threshold: scorer.threshold, unsureBelow: scorer.unsureBelow, scores };
  } finally {
    await ownPool?.close();
  }
}

export const batchClassifyHandlers: Handlers<'classify.files' | 'classify.bytes'> = {
  'classify.files': (request, ctx) => {
    const paths = request.paths.map((file, i) => absolutePath(`paths[${i}]`, file));
    return scoreAll(ctx, readFiles(paths), paths.length, request.runId);
  },
  'classify.bytes': (request, ctx) =>
    scoreAll(
      ctx,
      request.messages.map((base64) => Buffer.from(base64, 'base64')),
      request.messages.length,
      request.runId,
    ),
};
