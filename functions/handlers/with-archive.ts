import { DynamoArchiveStore } from '../store/archive-store';
import { registerArchive } from './runtime';

/** Imported first by the functions that accept messages: their runtime keeps queues' archives. */
registerArchive((options) => new DynamoArchiveStore(options));
