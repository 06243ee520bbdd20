// `spamlab filter`: a mail filter in a pipe, as bogofilter -p -e and spamc are used.
import { FILTER_HEADERS, withFields, withoutOwnFields } from '../../shared/pass-through';
import { base64, id, parse, withBackend } from './common';
import { readStdin } from './inputs';

/** Resolves once the bytes are written; rejects when standard output cannot take them (a closed pipe). */
const writeOut = (bytes: Uint8Array) =>
  new Promise<void>((resolve, reject) => {
    process.stdout.once('error', reject);
    process.stdout.write(bytes, (err) => (err ? reject(err) : resolve()));
  });

export async function filterCommand(args: string[]): Promise<number> {
  const { values } = parse(args, { run: { type: 'string' }, explain: { type: 'boolean' } });
  const runId = id(values.run, 'run');
  const input = await readStdin();
  if ('error' in input) {
    process.stderr.write(`spamlab filter: standard input: ${input.error}\n`);
    return 1;
  }
  let output: Uint8Array;
  try {
    const filtered = await withBackend(values.db, (api) =>
      api.call('filter.message', { message: base64(input.bytes), runId, explain: values.explain }),
    );
    if (filtered.error) process.stderr.write(`spamlab filter: ${filtered.error}\n`);
    output = Buffer.from(filtered.output, 'base64');
  } catch (err) {
    // Not even a backend (a database that will not open): the mail still goes on, marked.
    process.stderr.write(`spamlab filter: ${(err as Error).message}\n`);
    output = withFields(withoutOwnFields(input.bytes), [[FILTER_HEADERS.status, 'error']]);
  }
  try {
    await writeOut(output);
    return 0;
  } catch (err) {
    process.stderr.write(`spamlab filter: cannot write the message to standard output: ${(err as Error).message}\n`);
    return 1;
  }
}
