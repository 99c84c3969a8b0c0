import { Duration, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { EventSourceMapping, FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { messageChangeFilters } from '../../functions/store/message-stream';
import type { ServiceFunction } from './service-function';
import { allowMessagesStreamRead } from './stream-reader';

/**
 * The deployed side of the queues' counts (functions/handlers/counter.ts): the messages table's
 * stream, filtered to message items, invokes the counter function with up to 1,000 changes
 * gathered for at most a second, so counts follow the writes by about a second and cost one
 * invocation and a few counter writes per batch, not per message. Failed batches are retried
 * (the counter writes are idempotent per batch) for up to an hour.
 */
export class QueueCounters extends Construct {
  readonly eventSource: EventSourceMapping;

  constructor(scope: Construct, id: string, props: { counter: ServiceFunction; messagesTable: ITable }) {
    super(scope, id);
    const fn = props.counter;
    const streamArn = props.messagesTable.tableStreamArn;
    if (!streamArn) throw new Error('Counts need the messages table stream (NEW_AND_OLD_IMAGES)');
    allowMessagesStreamRead(fn, streamArn);
    this.eventSource = new EventSourceMapping(this, 'MessageChanges', {
      target: fn.function,
      eventSourceArn: streamArn,
      // From the oldest record kept: nothing written between the stack's update and the mapping's start is missed.
      startingPosition: StartingPosition.TRIM_HORIZON,
      batchSize: 1000,
      maxBatchingWindow: Duration.seconds(1),
      retryAttempts: 10,
      maxRecordAge: Duration.hours(1),
      filters: messageChangeFilters.map((pattern) => FilterCriteria.filter(pattern)),
    });
    this.eventSource.node.addDependency(fn.role);
    Validations.of(this.eventSource).acknowledge({
      id: 'Serverless-LambdaEventSourceMappingDestination',
      reason:
        'A batch the counter function cannot apply within an hour of retries leaves the counts off by its ' +
        'changes; its errors are logged and alarmed on (function errors), and a purge starts the counts afresh.',
    });
  }
}
