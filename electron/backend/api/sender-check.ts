// Which list, if any, decides a message: by the address in its From field as parsed, never by a display name.
import { addressParser } from 'postal-mime';
import type { SenderList } from '../../../shared/sender-lists';
import type { Db } from '../store/open';
import { listOf } from '../store/sender-lists';

const HEADER_SCAN_BYTES = 256 * 1024;
const FROM_FIELD = /^from[ \t]*:((?:[^\n]*)(?:\n[ \t][^\n]*)*)/gim;

/** The raw values of the From fields (unfolded; encoded words stay encoded, so they can hold no address). */
function fromFields(raw: Uint8Array): string[] {
  const head = Buffer.from(raw.buffer, raw.byteOffset, Math.min(raw.length, HEADER_SCAN_BYTES)).toString('latin1').replace(/\r\n/g, '\n');
  const end = head.indexOf('\n\n');
  const block = end < 0 ? head : head.slice(0, end + 1);
  return [...block.matchAll(FROM_FIELD)].map((m) => m[1]!.replace(/\n[ \t]/g, ' ').trim());
}

/** The message's sender when it names exactly one: the address an allow entry can match. */
export function singleSender(raw: Uint8Array): string | null {
  const fields = fromFields(raw);
  const addresses = fields.flatMap((field) => senderAddresses(field));
  return fields.length === 1 && addresses.length === 1 && (fields[0]!.match(/</g) ?? []).length <= 1 ? addresses[0]! : null;
}

const senderAddresses = (field: string) =>
  addressParser(field)
    .flatMap((a) => a.group ?? [a])
    .map((a) => a.address ?? '')
    .filter((address) => address.includes('@'));

export function hasListEntries(db: Db): boolean {
  return db.prepare('SELECT EXISTS (SELECT 1 FROM sender_lists)').pluck().get() === 1;
}

/**
 * Block when any From address is blocked; allow only when the message has one From field holding one address
 * (one angle bracket at most) and that address is allowed: a second From field or address could be what a mail client shows.
 */
export function listDecision(db: Db, raw: Uint8Array): SenderList | null {
  if (
    fromFields(raw)
      .flatMap((field) => senderAddresses(field))
      .some((address) => listOf(db, address) === 'block')
  )
    return 'block';
  const sender = singleSender(raw);
  return sender !== null && listOf(db, sender) === 'allow' ? 'allow' : null;
}
