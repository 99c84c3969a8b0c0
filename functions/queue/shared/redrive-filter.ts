import type { MessageAttributes, RedriveFilter, StoredMessage } from '../model';

/**
 * Which dead letters a redrive moves, for both kinds (and what a dead-letter browse filtered by
 * an attribute shows, so a browse shows exactly what "redrive matching" would move).
 */
export function matchesRedriveFilter(message: StoredMessage, filter: RedriveFilter): boolean {
  if (filter.messageIds && !filter.messageIds.includes(message.id)) return false;
  if (filter.attribute && !attributeMatches(message.attributes, filter.attribute)) return false;
  const at = message.deadLetter?.deadLetteredAt ?? message.sentAt;
  if (filter.deadLetteredAfter !== undefined && at < filter.deadLetteredAfter) return false;
  if (filter.deadLetteredBefore !== undefined && at > filter.deadLetteredBefore) return false;
  return true;
}

export function attributeMatches(
  attributes: MessageAttributes,
  filter: { name: string; value: string },
): boolean {
  return attributes[filter.name]?.stringValue === filter.value;
}
