// `spamlab lists`: the allow and block lists of senders, shown or changed.
import { SENDER_LISTS, SenderList } from '../../shared/sender-lists';
import { parse, print, UsageError, withBackend } from './common';

const describe = (lists: Record<SenderList, string[]>) =>
  SENDER_LISTS.map((list) => `${list} (${lists[list].length}):${lists[list].map((entry) => `\n  ${entry}`).join('')}`).join('\n');

export async function listsCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {}, true);
  const [action, ...entries] = positionals;
  if (action !== undefined && action !== 'remove' && !SENDER_LISTS.includes(action as SenderList)) {
    throw new UsageError(`lists: expected allow, block or remove, got "${action}"`);
  }
  if (action !== undefined && entries.length === 0) throw new UsageError(`lists ${action}: give at least one address or domain`);
  return withBackend(values.db, async (api) => {
    const lists =
      action === undefined
        ? await api.call('lists.get', {})
        : action === 'remove'
          ? await api.call('lists.remove', { entries })
          : await api.call('lists.add', { list: action as SenderList, entries });
    print(values.json ? lists : describe(lists));
    return 0;
  });
}
