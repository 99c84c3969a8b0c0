import {
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import type { MoveTask } from '../queue/model';
import type { DynamoBase } from './base';
import { conditions } from './conditions';
import type { Item } from './items';
import { isConditionFailure } from './sdk-errors';

/**
 * Redrive tasks (SQS message move tasks) in the dead-letters table:
 *   move task    pk = `t#<dead-letter queue id>`  sk = <task id> (time-ordered)
 *   replay task  pk = `r#<archived queue id>`  sk = <task id> (queue/archive/replay.ts)
 *   running      pk = `running`  sk = <dead-letter queue id>, or `r#<destination queue id>` for a
 *                replay: one active task per queue (per destination for replays), and the list of
 *                tasks the scheduler continues; `tp` names the task's partition
 */
type TaskKind = MoveTask['kind'];

const taskPartition = (queueId: string, kind: TaskKind) => `${kind === 'replay' ? 'r' : 't'}#${queueId}`;
const taskKey = (queueId: string, taskId: string, kind?: TaskKind): Item => ({
  pk: { S: taskPartition(queueId, kind) },
  sk: { S: taskId },
});
const lockKey = (task: MoveTask): Item => ({
  pk: { S: 'running' },
  sk: { S: task.kind === 'replay' ? `r#${task.replay!.destinationQueueId}` : task.sourceQueueId },
});
const terminal = new Set(['COMPLETED', 'CANCELLED', 'FAILED']);

export async function createMoveTask(base: DynamoBase, task: MoveTask): Promise<'created' | 'busy'> {
  const created = await base.commit('createMoveTask', [
    {
      Put: {
        TableName: base.deadLetters,
        Item: {
          ...lockKey(task),
          taskId: { S: task.taskId },
          tp: { S: taskPartition(task.sourceQueueId, task.kind) },
        },
        ConditionExpression: conditions.itemAbsent,
      },
    },
    { Put: { TableName: base.deadLetters, Item: taskItem(task) } },
  ]);
  return created ? 'created' : 'busy';
}

export async function getMoveTask(base: DynamoBase, sourceQueueId: string, taskId: string, kind?: TaskKind) {
  const out = await base.run('getMoveTask', (c) =>
    base.client.send(
      new GetItemCommand({
        ...c,
        TableName: base.deadLetters,
        Key: taskKey(sourceQueueId, taskId, kind),
        ConsistentRead: true,
      }),
    ),
  );
  return out.Item ? itemToTask(out.Item) : undefined;
}

export async function listMoveTasks(base: DynamoBase, sourceQueueId: string, limit: number, kind?: TaskKind) {
  const out = await base.run('listMoveTasks', (c) =>
    base.client.send(
      new QueryCommand({
        ...c,
        TableName: base.deadLetters,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: taskPartition(sourceQueueId, kind) } },
        ScanIndexForward: false,
        Limit: limit,
      }),
    ),
  );
  return (out.Items ?? []).map(itemToTask);
}

export async function listRunningMoveTasks(base: DynamoBase) {
  const out = await base.run('listRunningMoveTasks', (c) =>
    base.client.send(
      new QueryCommand({
        ...c,
        TableName: base.deadLetters,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'running' } },
      }),
    ),
  );
  const keys = (out.Items ?? []).map((lock) => ({
    pk: lock.tp ?? { S: `t#${lock.sk!.S!}` },
    sk: lock.taskId!,
  }));
  const found = await base.getAll(keys, base.deadLetters);
  return [...found.values()].map(itemToTask);
}

export async function saveMoveTask(base: DynamoBase, task: MoveTask, expectedStatus: MoveTask['status']) {
  const put: TransactWriteItem = {
    Put: {
      TableName: base.deadLetters,
      Item: taskItem(task),
      ConditionExpression: conditions.taskStatusIs,
      ExpressionAttributeValues: { ':expected': { S: expectedStatus } },
    },
  };
  // Only the step out of RUNNING releases the queue's lock; a finished task rewritten later (a
  // cancelled task given its final count) must not touch the lock a newer task may hold.
  if (!terminal.has(task.status) || terminal.has(expectedStatus)) {
    try {
      await base.run('saveMoveTask', (c) => base.client.send(new PutItemCommand({ ...c, ...put.Put! })));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
  // A finished task releases its queue for the next one in the same write.
  return base.commit('finishMoveTask', [
    put,
    { Delete: { TableName: base.deadLetters, Key: lockKey(task) } },
  ]);
}

function taskItem(task: MoveTask): Item {
  return {
    ...taskKey(task.sourceQueueId, task.taskId, task.kind),
    st: { S: task.status },
    data: { S: JSON.stringify(task) },
  };
}

const itemToTask = (item: Item): MoveTask => JSON.parse(item.data!.S!) as MoveTask;
