/**
 * The message states as the REST API names them, for its clients (console, CLI): the queue's own
 * vocabulary (functions/queue/states.ts), published by the dialect so clients need no other import.
 */
export { type MessageState, messageStateLabels, messageStates } from '../../queue/states';
