import type { Queue } from '../../../functions/dialects/rest/client-types';
import { announce } from '../announcer';
import { api } from '../api';
import { checkedForm, type Field, field, numberInput, optionalInteger, textInput } from '../form-fields';

/**
 * A queue's settings, editable: the browser checks the ranges first (the same as the API's), and
 * whatever the API still refuses is shown on the field its problem names.
 */
export function settingsForm(queue: Queue, saved: (queue: Queue) => void): HTMLElement {
  const numeric = (name: keyof Queue, label: string, min: number, max: number, hint: string) =>
    field(name, label, numberInput(min, max, queue[name] as number | undefined), hint);
  const fields: Field[] = [
    numeric('visibilityTimeoutSeconds', 'Visibility timeout (s)', 0, 43_200, '0 to 43,200 seconds'),
    numeric('retentionSeconds', 'Retention (s)', 60, 1_209_600, '60 seconds to 14 days'),
    numeric('delaySeconds', 'Delivery delay (s)', 0, 900, '0 to 900 seconds'),
    numeric('receiveWaitSeconds', 'Receive wait (s)', 0, 20, 'Long polling: 0 to 20 seconds'),
    numeric('maxMessageBytes', 'Maximum message size (bytes)', 1024, 1_048_576, '1,024 to 1,048,576 bytes'),
    field(
      'deadLetterQueue',
      'Dead-letter queue',
      textInput({ value: queue.deadLetterQueue ?? '', pattern: '[A-Za-z0-9_\\-]{1,80}(\\.fifo)?' }),
      'Empty: no redrive policy',
    ),
    numeric('maxReceiveCount', 'Max receive count', 1, 1000, 'Receives before a message is dead-lettered'),
    numeric(
      'archiveRetentionSeconds',
      'Archive retention (s)',
      0,
      31_536_000,
      '0 (off) to 365 days: how long every message stays in the archive',
    ),
  ];
  return checkedForm({
    attributes: { class: 'settings' },
    fields,
    submitLabel: 'Save settings',
    grid: true,
    read: () => {
      const changes = changedSettings(queue, fields);
      if (Object.keys(changes).length > 0) return changes;
      announce('Nothing changed.');
      return undefined;
    },
    submit: async (changes) => {
      const updated = await api.updateQueue(queue.name, changes);
      Object.assign(queue, updated);
      announce('Settings saved.');
      saved(updated);
    },
  });
}

/** What the form changes (null removes the redrive policy); the fields are in settingsForm's order. */
function changedSettings(queue: Queue, fields: Field[]): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const f of fields) {
    if (f.name === 'deadLetterQueue') continue;
    const value = optionalInteger(f.input);
    if (f.name === 'maxReceiveCount') continue;
    if (value !== undefined && value !== queue[f.name as keyof Queue]) changes[f.name] = value;
  }
  const deadLetterQueue = fields[5]!.input.value.trim();
  const maxReceiveCount = optionalInteger(fields[6]!.input);
  if (deadLetterQueue === '' && queue.deadLetterQueue) {
    changes.deadLetterQueue = null;
    changes.maxReceiveCount = null;
  } else if (
    deadLetterQueue !== '' &&
    (deadLetterQueue !== queue.deadLetterQueue || maxReceiveCount !== queue.maxReceiveCount)
  ) {
    changes.deadLetterQueue = deadLetterQueue;
    if (maxReceiveCount !== undefined) changes.maxReceiveCount = maxReceiveCount;
  }
  return changes;
}
