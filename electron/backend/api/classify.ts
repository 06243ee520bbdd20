import type { ClassifyResult, TokenContribution } from '../../../shared/contract';
import { ApiError } from '../../../shared/errors';
import type { ApiContext, Handlers } from './context';
import { MAX_BODY_WORDS, MAX_SUBJECT_WORDS, tokenize } from '../features/tokenizer';
import { wordSpans } from '../../../shared/words';
import type { MailContent } from '../../../shared/types';
import { countTokens, hashToken, SparseVector, toSparse } from '../features/vectorize';
import { explain, probabilityOf } from '../model/infer';
import { parseMailContent, parseRecord } from '../ingest/parse';
import { mailFields, messageRaw } from '../store/messages';
import { activeRunId, getRun } from '../store/runs';
import { loadRunModel } from './scoring';
import { decide } from '../../../shared/decision';
import { decidedByList, listVerdict, SenderList } from '../../../shared/sender-lists';
import { listDecision } from './sender-check';

const TOP_CONTRIBUTIONS = 60;

/** Fields only mail carries: a header block needs one of them, so "URGENT: claim your prize" stays text. */
const MAIL_HEADER =
  /^(from|to|cc|bcc|subject|date|received|message-id|mime-version|content-type|content-transfer-encoding|return-path|reply-to|sender|delivered-to|in-reply-to|references|x-mailer|list-id)$/i;
const HEADER_FIELD = /^([!-9;-~]+)[ \t]*:/;

/**
 * Whether pasted text really starts with a mail header block: every line up to
 * the first empty line (or the end) is a header field or its folded
 * continuation, and one of the fields is a known mail header. An mbox envelope
 * line ("From sender date") may come first.
 */
export function looksLikeMail(raw: string): boolean {
  const lines = raw.replace(/^\uFEFF/, '').split(/\r?\n/);
  let i = /^From \S/.test(lines[0] ?? '') ? 1 : 0;
  let fields = 0;
  let known = false;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') break;
    if (/^[ \t]/.test(line) && fields > 0) continue;
    const field = HEADER_FIELD.exec(line);
    if (!field) return false;
    fields++;
    if (MAIL_HEADER.test(field[1]!)) known = true;
  }
  return fields > 0 && known;
}

/** Pasted text with a real header block is parsed as mail; anything else, its first line included, is a message body. */
export async function mailFromText(raw: string): Promise<MailContent> {
  if (looksLikeMail(raw)) {
    try {
      return await parseMailContent(new TextEncoder().encode(raw));
    } catch {
      // Not mail after all: score it as plain text.
    }
  }
  return parseRecord(raw, null);
}

export function resolveRun(ctx: ApiContext, runId: number | undefined): number {
  const id = runId ?? activeRunId(ctx.db);
  if (id === null) throw new ApiError('conflict', 'no trained model yet: train a run first');
  return id;
}

export interface Scorer {
  runId: number;
  threshold: number;
  unsureBelow: number | null;
  /** The model's table size, which feature vectors are made for. */
  buckets: number;
  /** Spam probability of a message's feature vector, without an explanation: the fast path for batches. */
  probability(vector: SparseVector): number;
}

export function scorerFor(ctx: ApiContext, runId: number | undefined): Scorer {
  const id = resolveRun(ctx, runId);
  const weights = loadRunModel(ctx, id);
  const { threshold, unsureBelow } = getRun(ctx.db, id);
  return {
    runId: id,
    threshold,
    unsureBelow,
    buckets: weights.buckets,
    probability: (vector) => probabilityOf(weights, vector.ids, vector.values),
  };
}

/** Scores a message and says which tokens pushed it which way; a sender list, when one holds its sender, decides it. */
export function classifyMail(ctx: ApiContext, mail: MailContent, runId: number | undefined, list: SenderList | null): ClassifyResult {
  const id = resolveRun(ctx, runId);
  const run = getRun(ctx.db, id);
  const weights = loadRunModel(ctx, id);
  const tokens = tokenize(mail);
  const vector = toSparse(countTokens(tokens), weights.buckets);
  const explanation = explain(weights, vector.ids, vector.values);
  const probability = 1 / (1 + Math.exp(-explanation.logit));
  return {
    runId: id,
    probability,
    logit: explanation.logit,
    threshold: run.threshold,
    unsureBelow: run.unsureBelow,
    verdict: list ? listVerdict(list) : decide(probability, run.threshold, run.unsureBelow),
    decidedBy: list && decidedByList(list),
    bias: explanation.bias,
    exact: explanation.exact,
    contributions: topContributions(tokens, weights.buckets, vector.ids, explanation.contributions),
    wordWeights: wordWeights(mail, weights.buckets, vector.ids, explanation.contributions),
  };
}

/** The contribution of each word's own token (subject words carry the subject prefix), keyed by the word in lower case. */
function wordWeights(
  mail: MailContent,
  buckets: number,
  ids: Uint32Array,
  contributions: ArrayLike<number>,
): ClassifyResult['wordWeights'] {
  const byBucket = new Map<number, number>();
  for (let i = 0; i < ids.length; i++) byBucket.set(ids[i]!, contributions[i]!);
  const weigh = (text: string, limit: number, prefix: string) => {
    // No prototype: a word such as "constructor" must not look already seen.
    const out = Object.create(null) as Record<string, number>;
    for (const { word } of wordSpans(text, limit)) {
      const lower = word.toLowerCase();
      if (lower in out) continue;
      const weight = byBucket.get(hashToken(prefix + lower) % buckets);
      if (weight) out[lower] = weight;
    }
    return out;
  };
  return { subject: weigh(mail.subject, MAX_SUBJECT_WORDS, 'subject:'), text: weigh(mail.text, MAX_BODY_WORDS, '') };
}

/** Names each bucket by the tokens that fell into it and keeps the strongest pushes either way. */
function topContributions(tokens: string[], buckets: number, ids: Uint32Array, contributions: ArrayLike<number>): TokenContribution[] {
  const namesByBucket = new Map<number, Set<string>>();
  for (const token of tokens) {
    const bucket = hashToken(token) % buckets;
    const names = namesByBucket.get(bucket) ?? new Set();
    names.add(token);
    namesByBucket.set(bucket, names);
  }
  const all: TokenContribution[] = [];
  for (let i = 0; i < ids.length; i++) {
    all.push({ token: [...(namesByBucket.get(ids[i]) ?? [])].join(' | '), weight: contributions[i] });
  }
  return all.sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight)).slice(0, TOP_CONTRIBUTIONS);
}

export const classifyHandlers: Handlers<'classify.text' | 'classify.message'> = {
  'classify.text': async (request, ctx) => {
    const mail = await mailFromText(request.raw);
    const list = listDecision(ctx.db, new TextEncoder().encode(request.raw));
    return { ...classifyMail(ctx, mail, request.runId, list), parsed: { subject: mail.subject, text: mail.text } };
  },
  'classify.message': (request, ctx) => {
    const fields = mailFields(ctx.db, request.messageId);
    if (!fields) throw new ApiError('not-found', `message ${request.messageId} does not exist`);
    const raw = messageRaw(ctx.db, request.messageId);
    return classifyMail(ctx, fields, request.runId, raw ? listDecision(ctx.db, raw) : null);
  },
};
