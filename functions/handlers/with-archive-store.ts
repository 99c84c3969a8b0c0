import { DynamoArchiveStore } from '../store/archive-store';
import { registerArchive } from './runtime';

/** Imported first by the functions that also read archives (redrive: browse, replays; sweeper: replays, expiry). */
registerArchive((options) => new DynamoArchiveStore(options));
