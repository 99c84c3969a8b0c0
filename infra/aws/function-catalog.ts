import type { FunctionName } from '../../functions/routes';
import { consoleAssetsCommands, openApiCommands } from './package-layout';

/**
 * Every Lambda function of the service in one table: its entry file, its size and time budget, and
 * the exact DynamoDB calls it makes. The stack grants these actions and nothing else, so when a
 * handler starts making a new call, this table is the one place to change (and the IAM tests
 * in test/infra say so).
 */

/** Functions the route table knows, plus those that only run on a schedule. */
export type ServiceFunctionName = FunctionName | 'sweeper' | 'dispatcher' | 'counter';

/**
 * DynamoDB IAM actions, without the `dynamodb:` prefix. TransactWriteItems is not among them: IAM
 * authorizes a transaction by the writes inside it (PutItem, UpdateItem, DeleteItem) on each table
 * they touch, so a function that moves messages in one transaction lists those writes.
 */
export type DynamoAction =
  | 'GetItem'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'Query'
  | 'BatchGetItem'
  | 'BatchWriteItem';

/** S3 actions on the objects of the body bucket (large bodies: functions/store/s3-body-store.ts). */
export type BodyAction = 'PutObject' | 'GetObject' | 'DeleteObject';

export interface FunctionSpec {
  /** The handler module, relative to the repository root; it exports `handler`. */
  entry: string;
  description: string;
  memoryMiB: number;
  timeoutSeconds: number;
  /** Actions on each table or index the function touches; a missing key grants nothing there. */
  dynamo: {
    messages?: DynamoAction[];
    readyIndex?: DynamoAction[];
    deadLetters?: DynamoAction[];
  };
  /**
   * Actions on the body bucket's objects: PutObject where messages are written (send, a move to
   * another queue), GetObject where bodies are read (receive, peek, browse, a move), DeleteObject
   * where messages are removed. A missing key grants nothing there.
   */
  bodies?: BodyAction[];
  /**
   * How API Gateway authorizes the routes this function serves. `iam`: SigV4 for `execute-api`,
   * checked by API Gateway. `in-function`: SQS clients sign for service `sqs`, which API Gateway cannot
   * verify, so the function checks the signature itself and the route has no API Gateway authorizer.
   * `public`: static content with no data (the web console's page and assets), open to anyone; the
   * function holds no data permissions and every API call the page makes is signed.
   */
  routeAuthorization: 'iam' | 'in-function' | 'public';
  /** Whether the function reads the receipt-handle secret (every function that touches queues). @default true */
  readsReceiptHandleSecret?: boolean;
  /**
   * Shell commands run after esbuild bundled the function, given the bundle's folder: they add
   * files the function reads at run time (the console's built assets).
   */
  afterBundling?: (outputDir: string) => string[];
  /**
   * Whether the stack deploys the function. A function not written yet stays listed with
   * `enabled: false`, so adding it is a one-line change once its handler exists.
   */
  enabled: boolean;
}

// API Gateway HTTP APIs give an integration at most 30 s; a 20 s long poll plus DynamoDB calls
// needs the rest, so receive gets 29 s and everything else a short 10 s that fails fast.
const apiTimeoutSeconds = 10;
const longPollTimeoutSeconds = 29;
// Scheduled work runs every minute and stops 10 s before its timeout (the handlers' budget):
// a run ends before the next one starts.
const scheduledTimeoutSeconds = 55;

/*
 * Per-minute statistics (store/stats-store.ts) are items of the messages table: every function that
 * sends, receives, deletes, dead-letters or redrives adds its counts with UpdateItem, and the sweeper
 * sets depth samples with UpdateItem; all of them already hold UpdateItem there. The same holds for
 * a queue's arrival tick (store/arrival-ticks.ts): bumped with UpdateItem by whatever makes messages
 * visible, read with GetItem by receivers, which hold GetItem for queue records.
 *
 * Where the actions come from (functions/store): the queue cache and every queue lookup GetItem a
 * queue record; sending is BatchWriteItem; a lease is UpdateItem, then BatchGetItem for large bodies;
 * deleting is DeleteItem or BatchGetItem + BatchWriteItem; the ready index is queried to find,
 * count, purge and sweep messages. Moving an exhausted message to its dead-letter queue (receive,
 * sweeper) is one transaction: DeleteItem + PutItem on messages, PutItem of a record on dead letters.
 * FIFO queues (store/fifo-*.ts) keep everything in the messages table: appending is a transaction
 * (PutItem + UpdateItem of the group head), groups are leased and released with UpdateItem, a group's
 * messages are read with Query on the table, available and expiring groups are found on the index.
 */
export const functionCatalog: Record<ServiceFunctionName, FunctionSpec> = {
  queues: {
    entry: 'functions/handlers/queues.ts',
    description: 'Queue administration: create, list, get, update, delete, purge; the OpenAPI document',
    memoryMiB: 256,
    timeoutSeconds: apiTimeoutSeconds,
    // Query on the table lists queue records (and FIFO groups to purge), reads per-minute statistics
    // and peeks at FIFO groups; on the ready index it counts, peeks at and purges messages. UpdateItem:
    // purging a FIFO group resets its head; statistics are added. BatchGetItem: peeked messages.
    dynamo: {
      messages: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'BatchGetItem', 'BatchWriteItem'],
      readyIndex: ['Query'],
    },
    // The OpenAPI document goes into openapi.json beside the function's code (generated at synth
    // time), so the generator and zod's JSON Schema code stay out of the bundle.
    afterBundling: openApiCommands,
    bodies: ['GetObject', 'DeleteObject'],
    routeAuthorization: 'iam',
    enabled: true,
  },
  send: {
    entry: 'functions/handlers/send.ts',
    description: 'Sends messages (single and batch)',
    memoryMiB: 512,
    timeoutSeconds: apiTimeoutSeconds,
    // PutItem + UpdateItem: a FIFO send is one transaction with its group head. BatchWriteItem on
    // dead letters: the copies of sent messages in their queue's archive (queue/archive/).
    dynamo: {
      messages: ['GetItem', 'PutItem', 'UpdateItem', 'BatchWriteItem'],
      deadLetters: ['BatchWriteItem'],
    },
    bodies: ['PutObject', 'DeleteObject'],
    routeAuthorization: 'iam',
    enabled: true,
  },
  receive: {
    entry: 'functions/handlers/receive.ts',
    description: 'Receives messages with conditional leases (long polling) and changes their visibility',
    memoryMiB: 512,
    timeoutSeconds: longPollTimeoutSeconds,
    // PutItem on both tables: a receive that finds an exhausted message moves it to its dead-letter
    // queue. Query on the table: a leased FIFO group's messages.
    dynamo: {
      messages: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'BatchGetItem', 'BatchWriteItem'],
      readyIndex: ['Query'],
      deadLetters: ['PutItem'],
    },
    bodies: ['PutObject', 'GetObject', 'DeleteObject'],
    routeAuthorization: 'iam',
    enabled: true,
  },
  delete: {
    entry: 'functions/handlers/delete.ts',
    description: 'Deletes received messages by receipt handle (single and batch); cancels scheduled ones',
    memoryMiB: 256,
    timeoutSeconds: apiTimeoutSeconds,
    // Query + UpdateItem: deleting a FIFO message peeks at its group and releases or retires it.
    // Cancelling a scheduled message is one conditional UpdateItem (and BatchWriteItem for body parts).
    dynamo: { messages: ['GetItem', 'UpdateItem', 'DeleteItem', 'Query', 'BatchGetItem', 'BatchWriteItem'] },
    bodies: ['GetObject', 'DeleteObject'],
    routeAuthorization: 'iam',
    enabled: true,
  },
  sqs: {
    entry: 'functions/handlers/sqs.ts',
    description: 'The Amazon SQS wire protocol (JSON 1.0 and Query), verifying SigV4 itself',
    memoryMiB: 512,
    timeoutSeconds: longPollTimeoutSeconds,
    // Every queue operation of the functions above, Amazon SNS's Query protocol on the same endpoint
    // (topics, subscriptions, the publish outbox and FIFO-topic deduplication records are items of the
    // messages table: GetItem, PutItem, UpdateItem, DeleteItem, Query), the service's access keys (GetItem one, Query
    // whether any is active; they live in the messages table) and message move tasks on dead letters
    // (start: PutItem of the task and its lock; cancel: PutItem, DeleteItem of the lock).
    dynamo: {
      messages: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'BatchGetItem', 'BatchWriteItem'],
      readyIndex: ['Query'],
      deadLetters: ['GetItem', 'PutItem', 'DeleteItem', 'Query', 'BatchWriteItem'],
    },
    // SQS clients sign for the service `sqs`, which API Gateway's IAM check cannot verify: the handler
    // verifies every request against the service's access keys (SQS_AUTH=required, set by the stack),
    // and test/infra/in-function-auth.test.ts checks that it refuses unsigned requests.
    bodies: ['PutObject', 'GetObject', 'DeleteObject'],
    routeAuthorization: 'in-function',
    enabled: true,
  },
  sweeper: {
    entry: 'functions/handlers/sweeper.ts',
    description: 'Moves exhausted messages to dead-letter queues and removes expired ones (scheduled)',
    memoryMiB: 512,
    timeoutSeconds: scheduledTimeoutSeconds,
    // Query on the table pages through all queue records (and FIFO groups) and finds stale topic
    // outbox entries (claimed with UpdateItem, removed with DeleteItem, delivered with queue sends);
    // GetItem/PutItem on dead letters keep the resumable sweep cursor; Query + BatchWriteItem there
    // archive delivered messages and remove expired archive entries; replays run here (their tasks:
    // GetItem, PutItem, Query, BatchGetItem; DeleteItem of a finished one's lock). UpdateItem: FIFO group heads.
    dynamo: {
      messages: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'BatchGetItem', 'BatchWriteItem'],
      readyIndex: ['Query'],
      deadLetters: ['GetItem', 'PutItem', 'DeleteItem', 'Query', 'BatchGetItem', 'BatchWriteItem'],
    },
    bodies: ['PutObject', 'GetObject', 'DeleteObject'],
    routeAuthorization: 'iam',
    enabled: true,
  },
  redrive: {
    entry: 'functions/handlers/redrive.ts',
    description: 'Dead letters: browse, and move tasks back to their queues (routes and schedule)',
    memoryMiB: 512,
    // Its HTTP requests are cut at 30 s by API Gateway anyway; the scheduled slice uses the rest.
    timeoutSeconds: scheduledTimeoutSeconds,
    // Redriving a message is one transaction: DeleteItem + PutItem on messages, DeleteItem of its
    // record on dead letters (FIFO: UpdateItem of the target group head, Query of the source group,
    // BatchWriteItem of body parts). Tasks, their locks and dead-letter records live on dead letters.
    dynamo: {
      messages: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'BatchGetItem', 'BatchWriteItem'],
      readyIndex: ['Query'],
      deadLetters: ['GetItem', 'PutItem', 'DeleteItem', 'Query', 'BatchGetItem', 'BatchWriteItem'],
    },
    bodies: ['PutObject', 'GetObject', 'DeleteObject'],
    routeAuthorization: 'iam',
    enabled: true,
  },
  topics: {
    entry: 'functions/handlers/topics.ts',
    description: 'Topics (REST): create, list, delete, subscriptions with filter policies, publish',
    memoryMiB: 512,
    timeoutSeconds: apiTimeoutSeconds,
    // Topics, subscriptions, the publish outbox and FIFO-topic deduplication records are items of
    // the messages table (GetItem, PutItem, UpdateItem, DeleteItem, Query); a publish delivers with
    // queue sends (GetItem of the queue record, PutItem of the message; FIFO: a transaction of
    // PutItem + UpdateItem, and BatchWriteItem of large bodies' parts; on dead letters, the
    // delivered messages' copies in their queue's archive).
    dynamo: {
      messages: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'BatchWriteItem'],
      deadLetters: ['BatchWriteItem'],
    },
    bodies: ['PutObject', 'DeleteObject'],
    routeAuthorization: 'iam',
    enabled: true,
  },
  consumers: {
    entry: 'functions/handlers/consumers.ts',
    description: "A queue's push consumers: create, list, get, change, delete",
    memoryMiB: 256,
    timeoutSeconds: apiTimeoutSeconds,
    // Consumers are items of the messages table (store/consumer-store.ts): PutItem creates and
    // replaces one, DeleteItem removes it, GetItem reads it (and the queue record), Query lists a queue's.
    dynamo: { messages: ['GetItem', 'PutItem', 'DeleteItem', 'Query'] },
    routeAuthorization: 'iam',
    enabled: true,
  },
  dispatcher: {
    entry: 'functions/handlers/dispatcher.ts',
    description:
      "Push delivery: hands queues' messages to their consumers (stream of new messages, schedule)",
    memoryMiB: 512,
    timeoutSeconds: scheduledTimeoutSeconds,
    // What receiving and deleting take (as the receive and delete functions), plus its own items:
    // consumers (GetItem, Query) and delivery slots (UpdateItem to claim, DeleteItem to free).
    // PutItem on both tables: a receive that finds an exhausted message dead-letters it.
    dynamo: {
      messages: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'BatchGetItem', 'BatchWriteItem'],
      readyIndex: ['Query'],
      deadLetters: ['PutItem'],
    },
    routeAuthorization: 'iam',
    enabled: true,
  },
  counter: {
    entry: 'functions/handlers/counter.ts',
    description: "Keeps the queues' message counts from the messages table's stream",
    memoryMiB: 256,
    // A batch is a few transactions: seconds at most; a timeout is retried by the stream mapping.
    timeoutSeconds: 25,
    // BatchGetItem reads the queues' count epochs; UpdateItem (inside its transactions) adds to
    // their counters. It reads no message and no body.
    dynamo: { messages: ['BatchGetItem', 'UpdateItem'] },
    readsReceiptHandleSecret: false,
    routeAuthorization: 'iam',
    enabled: true,
  },
  console: {
    entry: 'functions/handlers/console.ts',
    description: 'The web console: its page, script and stylesheet (static; the page signs its API calls)',
    memoryMiB: 256,
    timeoutSeconds: apiTimeoutSeconds,
    // No data: the console reads queues through the signed REST API, like any client.
    dynamo: {},
    readsReceiptHandleSecret: false,
    // The assets go into console-assets.json beside the function's code, which serves them from
    // there: built at synth time (esbuild, console/build.ts) in the checkout, prebuilt in the package.
    afterBundling: consoleAssetsCommands,
    routeAuthorization: 'public',
    enabled: true,
  },
};

/** The functions the stack deploys, in catalog order. */
export function enabledFunctions(
  catalog: Record<ServiceFunctionName, FunctionSpec> = functionCatalog,
): [ServiceFunctionName, FunctionSpec][] {
  return (Object.entries(catalog) as [ServiceFunctionName, FunctionSpec][]).filter(
    ([, spec]) => spec.enabled,
  );
}
