import { DynamoArchiveWriter } from '../store/archive-writer';
import { registerArchive } from './runtime';

/** Imported first by the functions that accept messages: their runtime archives what they accept. */
registerArchive((options) => new DynamoArchiveWriter(options));
