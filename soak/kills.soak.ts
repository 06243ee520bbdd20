// `npm run soak -- kills`: SIGKILL at random moments, hundreds of times, of the
// real CLI importing (small mboxes of real SpamAssassin mail), of the real CLI
// training, and of the real web host while labels stream into it. The web host
// labels throughout, so imports and trainings are killed while another process
// writes. After every kill the database is reopened as the app reopens it and
// checked: PRAGMA integrity_check, every imported message labeled, an import
// whole or absent, no run left 'running', and every label the web host
// acknowledged still there with its value.
import fs from 'node:fs';
import path from 'node:path';
import { mulberry32 } from '../electron/backend/training/split';
import { spamlab, spawnSpamlab, tempDir } from '../test/support/cli';
import { CorpusMessage, loadCorpus, writeMbox } from '../test/support/corpus';
import { count, exited, hasExited, killAndWait, messageIds, reopenAfterKill, sleep, uniqueBodies } from '../test/support/crash';
import { LabelLog, lostLabels, newLabelLog, startLabeling, type Labeling } from '../test/support/labeler';
import { RunningHost, startHost } from '../test/support/web-host';
import { runSoak } from './outcome';

const TARGET_KILLS = Number(process.env.SOAK_KILLS ?? 500);
/** Kills on one database before the next starts fresh, so imports keep bringing new mail and trainings stay short. */
const KILLS_PER_DATABASE = 40;
const LANES = 2;
const seed = Number(process.env.SOAK_SEED ?? Date.now() % 2 ** 31);
const random = mulberry32(seed);
const dir = tempDir('soak-kills');

type Kind = 'import' | 'train' | 'label';
const KINDS: Kind[] = ['import', 'train', 'label'];
const perKind = () => ({ import: 0, train: 0, label: 0 }) satisfies Record<Kind, number>;

const tally = {
  kills: perKind(),
  /** Runs that ended by themselves before their kill came: not counted as kills. */
  finishedFirst: perKind(),
  integrityFailures: 0,
  lostLabels: 0,
  acknowledgedChecked: 0,
  labelRequestsFailed: 0,
  partialImports: 0,
  /** Killed imports by what they left: all their messages (killed after the commit) or none. */
  importsStoredWhole: 0,
  importsStoredNothing: 0,
  /** Killed trainings whose run was stored as running, and marked failed on reopen. */
  runsMarkedFailed: 0,
  unlabeledMessages: 0,
  runsLeftRunning: 0,
  /** A CLI run that ended by itself with an error: something refused to work beside the other writer. */
  failedRuns: [] as string[],
  databases: 0,
};
const problems: string[] = [];

/** How long an unkilled run of each kind took, last seen: kills are drawn uniformly up to a little past it. */
const duration: Record<Kind, number> = { import: 1500, train: 3000, label: 1500 };
const killDelay = (kind: Kind) => random() * duration[kind] * 1.15;

interface Database {
  file: string;
  ids: number[];
  log: LabelLog;
  host: RunningHost;
  labeling: Labeling;
  /** Corpus messages not yet imported into this database, in random order. */
  unimported: CorpusMessage[];
}

function shuffled<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

async function freshDatabase(corpus: CorpusMessage[]): Promise<Database> {
  tally.databases++;
  const file = path.join(dir, `soak-${tally.databases}.db`);
  const order = shuffled(corpus);
  // 150 messages of each class, labeled: what the web host labels, and what every training trains on.
  const seeded = new Set<CorpusMessage>();
  for (const label of ['spam', 'ham'] as const) {
    const seed = order.filter((m) => m.label === label).slice(0, 150);
    seed.forEach((m) => seeded.add(m));
    const mbox = path.join(dir, `seed-${label}.mbox`);
    writeMbox(mbox, seed);
    const result = spamlab(['import', mbox, '--label', label, '--db', file]);
    if (result.status !== 0) throw new Error(`seeding ${file}: ${result.stderr}`);
  }
  const ids = messageIds(file);
  const log = newLabelLog();
  const host = await startHost(file);
  const unimported = order.filter((m) => !seeded.has(m));
  return { file, ids, log, host, labeling: startLabeling(host, ids, random, log, LANES), unimported };
}

/** Runs the CLI with these arguments and kills it at a random moment; true when the kill came before it ended. */
async function killCli(kind: Kind, args: string[]): Promise<boolean> {
  const started = Date.now();
  const child = spawnSpamlab(args);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.resume();
  await Promise.race([sleep(killDelay(kind)), exited(child)]);
  if (await killAndWait(child)) return true;
  duration[kind] = Date.now() - started;
  tally.finishedFirst[kind]++;
  if (child.exitCode !== 0) tally.failedRuns.push(`${kind} exited ${child.exitCode}: ${stderr.trim().slice(0, 400)}`);
  return false;
}

async function killHost(db: Database): Promise<boolean> {
  await sleep(killDelay('label'));
  const killed = await killAndWait(db.host.child);
  await db.labeling.ended;
  db.host = await startHost(db.file);
  return killed;
}

interface Killed {
  /** The import killed: the message count before it, and how many it brings. */
  import?: { before: number; count: number };
  /** The training killed: failed runs before it. */
  failedRunsBefore?: number;
}

const failedRuns = (file: string) => count(file, `SELECT count(*) FROM runs WHERE status = 'failed'`);

/** Everything a kill may have broken, checked with the labeling paused so the database holds still. */
async function check(db: Database, kind: Kind, killed: Killed): Promise<void> {
  if (hasExited(db.host.child)) {
    // Only a 'label' round kills the web host (and starts it again); this one died by itself.
    problems.push(`the web host exited by itself during a ${kind} round: ${db.host.child.exitCode}`);
    db.host = await startHost(db.file);
  }
  await db.labeling.stop();
  let after;
  try {
    after = reopenAfterKill(db.file);
  } catch (err) {
    tally.integrityFailures++;
    problems.push(`after a ${kind} kill the database did not open: ${(err as Error).message}`);
    return;
  }
  if (after.integrity !== 'ok') {
    tally.integrityFailures++;
    problems.push(`after a ${kind} kill: integrity_check said ${after.integrity}`);
  }
  if (after.labels !== after.messages) {
    tally.unlabeledMessages += after.messages - after.labels;
    problems.push(`after a ${kind} kill: ${after.messages} messages but ${after.labels} labels`);
  }
  if (after.running > 0) {
    tally.runsLeftRunning += after.running;
    problems.push(`after a ${kind} kill: ${after.running} runs still marked running`);
  }
  if (killed.import) {
    const added = after.messages - killed.import.before;
    // One batch of at most 500: an import of fewer messages is stored whole or not at all.
    if (added !== 0 && added !== killed.import.count) {
      tally.partialImports++;
      problems.push(`an import of ${killed.import.count} messages killed with ${added} stored`);
    } else if (added === 0) tally.importsStoredNothing++;
    else tally.importsStoredWhole++;
  }
  if (killed.failedRunsBefore !== undefined) tally.runsMarkedFailed += after.failedRuns - killed.failedRunsBefore;
  const lost = lostLabels(db.file, db.log);
  tally.acknowledgedChecked += db.log.acknowledged.size;
  if (lost.length) {
    tally.lostLabels += lost.length;
    problems.push(`after a ${kind} kill, acknowledged labels lost: ${JSON.stringify(lost.slice(0, 5))}`);
  }
  db.labeling = startLabeling(db.host, db.ids, random, db.log, LANES);
}

async function round(db: Database, kind: Kind): Promise<boolean> {
  if (kind === 'label') {
    const killed = await killHost(db);
    await check(db, kind, {});
    return killed;
  }
  if (kind === 'train') {
    const failedRunsBefore = failedRuns(db.file);
    const killed = await killCli(kind, ['train', '--db', db.file, '--epochs', '2', '--patience', '0']);
    await check(db, kind, killed ? { failedRunsBefore } : {});
    return killed;
  }
  const messages = db.unimported.splice(0, 50 + Math.floor(random() * 151));
  const mbox = path.join(dir, 'import.mbox');
  writeMbox(mbox, messages);
  const before = count(db.file, 'SELECT count(*) FROM messages');
  const label = random() < 0.5 ? 'spam' : 'ham';
  const killed = await killCli(kind, ['import', mbox, '--label', label, '--db', db.file]);
  await check(db, kind, killed ? { import: { before, count: messages.length } } : {});
  return killed;
}

async function closeDatabase(db: Database): Promise<void> {
  await db.labeling.stop();
  tally.labelRequestsFailed += db.log.failures.length;
  problems.push(...db.log.failures.slice(0, 5).map((f) => `label request failed: ${f}`));
  db.host.child.kill('SIGTERM');
  await exited(db.host.child);
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${db.file}${suffix}`, { force: true });
}

async function main(): Promise<string[]> {
  const started = Date.now();
  const corpus = uniqueBodies(loadCorpus());
  console.log(`kills soak: seed ${seed}, ${corpus.length} corpus messages, target ${TARGET_KILLS} kills`);
  let acks = 0;
  let db = await freshDatabase(corpus);
  let killsHere = 0;
  const total = () => KINDS.reduce((sum, k) => sum + tally.kills[k], 0);
  while (total() < TARGET_KILLS) {
    if (killsHere >= KILLS_PER_DATABASE || db.unimported.length < 200) {
      await closeDatabase(db);
      acks += db.log.acks;
      db = await freshDatabase(corpus);
      killsHere = 0;
    }
    const kind = KINDS[Math.floor(random() * KINDS.length)]!;
    if (await round(db, kind)) {
      tally.kills[kind]++;
      killsHere++;
      if (total() % 50 === 0) console.log(`  ${total()} kills, ${Math.round((Date.now() - started) / 1000)} s`);
    }
  }
  await closeDatabase(db);
  acks += db.log.acks;
  fs.rmSync(dir, { recursive: true, force: true });

  const seconds = Math.round((Date.now() - started) / 1000);
  console.log(
    [
      `kills soak: ${total()} kills in ${seconds} s on ${tally.databases} databases (seed ${seed})`,
      `  kills by kind: import ${tally.kills.import}, training ${tally.kills.train}, web host while labeling ${tally.kills.label}`,
      `  killed imports that left all their messages ${tally.importsStoredWhole}, none ${tally.importsStoredNothing}, some ${tally.partialImports}; killed trainings marked failed on reopen ${tally.runsMarkedFailed} (the rest died before storing their run)`,
      `  ended before their kill (not counted): import ${tally.finishedFirst.import}, training ${tally.finishedFirst.train}`,
      `  labels acknowledged by the web host: ${acks}; acknowledged labels checked after kills: ${tally.acknowledgedChecked}`,
      `  integrity failures: ${tally.integrityFailures}, lost labels: ${tally.lostLabels}, failed label requests: ${tally.labelRequestsFailed}`,
      `  unlabeled messages: ${tally.unlabeledMessages}, runs left running: ${tally.runsLeftRunning}, failed runs: ${tally.failedRuns.length}`,
    ].join('\n'),
  );
  problems.push(...tally.failedRuns);
  return problems;
}

runSoak('kills', main);
