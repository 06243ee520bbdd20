// The `spamlab` command line: the same backend as the desktop app.
import { ApiError } from '../shared/errors';
import { ValidationError } from '../shared/schema';
import { FILTER_HEADER_PREFIX, FILTER_HEADERS } from '../shared/pass-through';
import { defaultDbPath } from './backend/api';
import { asTyped, print, UsageError } from './cli/common';
import { filterCommand } from './cli/filter-command';
import { policyCommand } from './cli/policy-command';
import { listsCommand } from './cli/lists-command';
import { importsCommand } from './cli/imports-command';
import { monitorCommand } from './cli/monitor-command';
import { classifyCommand, exportLabelsCommand, importCommand, labelCommand } from './cli/mail-commands';
import { exportCommand, importModelCommand, reportCommand, runsCommand, statsCommand, trainCommand } from './cli/run-commands';
import { TRAIN_USAGE } from './cli/train-flags';
import { IMAP_USAGE, imapCommand } from './cli/imap-commands';

const USAGE = `spamlab — make your own spam filter

Usage:
  spamlab import PATH... [--label spam|ham] [--db FILE] [--json]
      Import mbox files, Maildir folders, folders of .eml, single messages, CSV, JSONL or .json
      records (a text column; --label fills rows without a label). Files that are not mail are reported.
  spamlab imports [--db FILE] [--json]
      The import history: each import (files, folders, IMAP syncs) with what it added and
      how much of that is still stored and labeled.
  spamlab imports undo ID [--db FILE] [--yes]
      Remove the messages that import added, with their labels, history, scores and
      predictions. Without --yes it only says what it would remove (exit status 2).
  spamlab train [--db FILE] [--name NAME] [--json] [SETTING...]
      Train on the labeled messages; the finished run becomes the active one.
      \`spamlab train --help\` lists the settings, their bounds and defaults.
  spamlab classify [FILE...] [--db FILE] [--run ID] [--json] [--exit-status] [--unsure-below P]
      Score messages (stdin when no FILE). --exit-status exits like bogofilter:
      0 spam, 1 ham, 2 unsure (probability in [P, threshold)), 3 error.
  spamlab filter [--db FILE] [--run ID] [--explain] < MESSAGE > MESSAGE
      Pass a message through as a mail filter: the same bytes with ${FILTER_HEADERS.status}
      (spam, ham, unsure or error), ${FILTER_HEADERS.probability} and ${FILTER_HEADERS.run} added at the top
      (--explain: ${FILTER_HEADERS.tokens}, the three tokens that pushed it most); the
      sender's own ${FILTER_HEADER_PREFIX}* fields are removed. Exits 0 unless it cannot write.
  spamlab label --as spam|ham|none [FILE...] [--db FILE] [--json]
      Label messages (stdin when no FILE), importing those not stored yet: for
      "mark as spam" buttons in mail clients. Labels keep their history.
  spamlab policy [--run ID] [--max-ham-lost 0.1% | --max-spam-missed 1%] [--unsure LOW[..HIGH] | --unsure none] [--db FILE] [--json]
      Show a run's decision policy and what it does on its held-out messages, or set it:
      the threshold that loses at most that share of ham (or misses at most that share
      of spam) there, and an unsure band from LOW up to the threshold (..HIGH sets the
      threshold too). classify and filter decide by it.
  spamlab lists [allow|block|remove ENTRY...] [--db FILE] [--json]
      Show the sender lists, or put addresses (a@example.com) and domains (example.com)
      on the allow or block list, or take them off. The address in a message's From
      field decides before the model does: allowed is ham, blocked is spam.
  spamlab monitor [--by week|month] [--run ID] [--db FILE] [--json] [--exit-status]
      How the active run (or --run) does on mail labeled since it trained: BCE per
      period by message date against its holdout's, and a one-sided test for drift.
      --exit-status: 0 healthy (or not enough mail to say), 3 drift flagged.
  spamlab stats [--db FILE] [--json]
  spamlab runs [--db FILE] [--json]
  spamlab report [--run ID] [--threshold P] [--db FILE] [--json]
  spamlab export --run ID --out FILE [--with-lists] [--db FILE]
      Write a run's model (a checksummed spamlab model file) with its decision policy
      (--with-lists: and the allow and block lists).
  spamlab export-labels --out DIR [--db FILE]
      Write the labeled messages to DIR/spam.mbox, DIR/ham.mbox (and DIR/records.jsonl
      for rows imported from CSV/JSONL): \`spamlab import --label\` reads them back.
  spamlab import-model FILE [--name NAME] [--db FILE]
      Check a model file and store it as a run, with the policy it carries; it becomes the active one.
${IMAP_USAGE}

The database defaults to SPAMLAB_DB, else the desktop app's own (${defaultDbPath()}).
Exit status: 0 success, 2 bad usage or bad input, 1 other failure.`;

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  'import-model': importModelCommand,
  import: importCommand,
  imports: importsCommand,
  train: trainCommand,
  classify: classifyCommand,
  filter: filterCommand,
  policy: policyCommand,
  lists: listsCommand,
  monitor: monitorCommand,
  label: labelCommand,
  stats: statsCommand,
  runs: runsCommand,
  report: reportCommand,
  export: exportCommand,
  'export-labels': exportLabelsCommand,
  imap: imapCommand,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    print(USAGE);
    return command ? 0 : 2;
  }
  const run = COMMANDS[command];
  if (!run) throw new UsageError(`unknown command "${command}"`);
  if (rest.includes('--help') || rest.includes('-h')) {
    print(command === 'train' ? TRAIN_USAGE : USAGE);
    return 0;
  }
  return run(rest);
}

/** A mail filter's caller reads 0, 1 and 2 as verdicts: under --exit-status every failure must say 3 instead. */
function failureStatus(argv: string[], err: unknown): number {
  if (argv[0] === 'classify' && argv.includes('--exit-status')) return 3;
  const badInput = err instanceof UsageError || err instanceof ValidationError || (err instanceof ApiError && err.kind !== 'internal');
  return badInput ? 2 : 1;
}

const argv = process.argv.slice(2);
main(argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const usage = err instanceof UsageError;
    process.stderr.write(`spamlab: ${asTyped((err as Error).message)}${usage ? '\nRun `spamlab --help` for usage.' : ''}\n`);
    process.exitCode = failureStatus(argv, err);
  },
);
