import { validatePriority } from '../../queue/shared/priority';

/**
 * The `priority` of a REST send (one message, or each of a batch's), checked before the request
 * schema so that every wrong value, of any type, is answered with the range it must be in
 * (`priority must be an integer from 0 to 9, but "5" was given`), not only with its type.
 */
export function checkPriorities(raw: Record<string, unknown>): void {
  if (Array.isArray(raw.messages)) {
    raw.messages.forEach((entry: unknown, index) => {
      if (typeof entry === 'object' && entry !== null && 'priority' in entry) {
        validatePriority(`messages.${index}.priority`, entry.priority);
      }
    });
  } else if ('priority' in raw) {
    validatePriority('priority', raw.priority);
  }
}
