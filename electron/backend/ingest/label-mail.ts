import type { Label } from '../../../shared/types';
import { LabelOrigin, ScoredBefore, setLabel } from '../store/labels';
import { NewMessage, storeMessage } from '../store/messages';
import { type Db, writeTransaction } from '../store/open';

export interface LabeledMail {
  messageId: number;
  label: Label | null;
  previous: Label | null;
  /** The message was not stored before and has been imported now. */
  imported: boolean;
}

/**
 * Gives one message a label, as bogofilter's -s/-n register mail from a mail
 * client: found by its content when already stored (its label then changes,
 * with history), imported with the label when not. `scoreBefore` gives the
 * probability to record with the label, once the message has its id.
 */
export function labelMail(
  db: Db,
  message: NewMessage,
  label: Label | null,
  origin: LabelOrigin,
  scoreBefore: (messageId: number) => ScoredBefore | null = () => null,
): LabeledMail {
  return writeTransaction(db, (): LabeledMail => {
    const stored = storeMessage(db, message);
    const change = setLabel(db, stored.id, label, origin, label === null ? null : scoreBefore(stored.id));
    return { messageId: stored.id, label, previous: change.previous, imported: stored.inserted };
  });
}
