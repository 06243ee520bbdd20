// A mail filter in a pipe: the message passes on as it came, with the verdict in header fields.
import type { FilteredMessage, TokenContribution } from '../../../shared/contract';
import { FILTER_HEADERS, withFields, withoutOwnFields } from '../../../shared/pass-through';
import type { Handlers } from './context';
import { parseMailContent } from '../ingest/parse';
import { classifyMail } from './classify';
import { listDecision } from './sender-check';

const TOP_TOKENS = 3;
const MAX_TOKEN_CHARS = 40;

const base64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

/** A token as a quoted ASCII string with its push: a header field value must not carry 8-bit text or line breaks. */
function describeToken({ token, weight }: TokenContribution): string {
  const quoted = JSON.stringify(token.slice(0, MAX_TOKEN_CHARS)).replace(
    /[^\x20-\x7e]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `${quoted} ${weight >= 0 ? '+' : ''}${weight.toFixed(2)}`;
}

export const filterHandlers: Handlers<'filter.message'> = {
  'filter.message': async (request, ctx): Promise<FilteredMessage> => {
    const message = withoutOwnFields(Buffer.from(request.message, 'base64'));
    try {
      const result = classifyMail(ctx, await parseMailContent(message), request.runId, listDecision(ctx.db, message));
      if (!Number.isFinite(result.probability)) {
        throw new Error(`run ${result.runId}'s model gives no probability (${result.probability}): its weights are not finite numbers`);
      }
      const status = result.verdict;
      const fields: Array<[string, string]> = [
        [FILTER_HEADERS.status, status],
        [FILTER_HEADERS.probability, result.probability.toFixed(4)],
        [FILTER_HEADERS.run, String(result.runId)],
      ];
      if (result.decidedBy) fields.push([FILTER_HEADERS.decidedBy, result.decidedBy]);
      if (request.explain) fields.push([FILTER_HEADERS.tokens, result.contributions.slice(0, TOP_TOKENS).map(describeToken).join(', ')]);
      return { output: base64(withFields(message, fields)), status, probability: result.probability, runId: result.runId, error: null };
    } catch (err) {
      // Whatever went wrong, the mail goes on, marked: the delivery rules decide what an error means.
      const output = base64(withFields(message, [[FILTER_HEADERS.status, 'error']]));
      return { output, status: 'error', probability: null, runId: null, error: (err as Error).message };
    }
  },
};
