// A person's labels streaming into the real web host, as the label view sends
// them, in several lanes at once; and the check, after a kill, that every label
// the host acknowledged is in the database with its value.
import Database from 'better-sqlite3';
import type { Label } from '../../shared/types';
import type { RunningHost } from './web-host';

/** What the host was told and what it answered; kept across hosts on the same database. */
export interface LabelLog {
  /** The last label acknowledged for each message. */
  acknowledged: Map<number, Label>;
  /** A label sent but never answered (the host died) or answered with an error: the message may have it instead. */
  unanswered: Map<number, Label>;
  /** Requests the host answered with anything but 200, with the answer. */
  failures: string[];
  sent: number;
  /** Requests answered 200. */
  acks: number;
}

export const newLabelLog = (): LabelLog => ({ acknowledged: new Map(), unanswered: new Map(), failures: [], sent: 0, acks: 0 });

export interface Labeling {
  /** Ends every lane after its request in flight; resolves once all have. */
  stop(): Promise<void>;
  /** Resolves when every lane has ended: stopped, or the host is gone. */
  ended: Promise<void>;
}

/**
 * Labels random messages through `labels.set`, one request at a time per lane,
 * until stopped or the host is gone. Lane i labels only ids[j] with j % lanes = i,
 * so each message's labels are sent in order and the last acknowledged one is its value.
 */
export function startLabeling(host: RunningHost, ids: number[], random: () => number, log: LabelLog, lanes = 1): Labeling {
  let stopping = false;
  const lane = async (index: number) => {
    const own = ids.filter((_, j) => j % lanes === index);
    if (own.length === 0) return;
    try {
      while (!stopping) {
        const id = own[Math.floor(random() * own.length)]!;
        const label: Label = random() < 0.5 ? 'spam' : 'ham';
        log.unanswered.set(id, label);
        log.sent++;
        const reply = await fetch(new URL('/api/labels.set', host.url), {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-spamlab-token': host.token },
          body: JSON.stringify({ id, label }),
        });
        const text = await reply.text();
        if (reply.status !== 200) {
          log.failures.push(`labels.set ${id} ${label}: ${reply.status} ${text.slice(0, 300)}`);
          continue;
        }
        log.acks++;
        log.acknowledged.set(id, label);
        log.unanswered.delete(id);
      }
    } catch (err) {
      // fetch rejects with TypeError('fetch failed') for any network failure: a reset mid-request or a refused connection after the kill.
      if (!(err instanceof TypeError && err.message === 'fetch failed')) throw err;
    }
  };
  const ended = Promise.all(Array.from({ length: lanes }, (_, i) => lane(i))).then(() => undefined);
  return {
    ended,
    stop: () => {
      stopping = true;
      return ended;
    },
  };
}

/** Acknowledged labels that are not in the database with their value (nor the unanswered one sent after). */
export function lostLabels(db: string, log: LabelLog): Array<{ id: number; acknowledged: Label; stored: Label | null }> {
  const conn = new Database(db, { readonly: true, fileMustExist: true });
  try {
    const stored = conn.prepare('SELECT label FROM labels WHERE message_id = ?').pluck();
    const lost = [];
    for (const [id, label] of log.acknowledged) {
      const now = (stored.get(id) as Label | undefined) ?? null;
      if (now !== label && now !== log.unanswered.get(id)) lost.push({ id, acknowledged: label, stored: now });
    }
    return lost;
  } finally {
    conn.close();
  }
}
