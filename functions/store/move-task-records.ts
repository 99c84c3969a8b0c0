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
 *   running      pk = `running`  sk = <dead-letter queue id>: one active task per queue, and the
 *                list of tasks the scheduler continues
 */

const taskKey = (queueId: string, taskId: string): Item => ({ pk: { S: `t#${queueId}` }, sk: { S: taskId } });
const lockKey = (queueId: string): Item => ({ pk: { S: 'running' }, sk: { S: queueId } });
const terminal = new Set(['COMPLETED', 'CANCELLED', 'FAILED']);

export async function createMoveTask(base: DynamoBase, task: MoveTask): Promise<'created' | 'busy'> {
  const created = await base.commit('createMoveTask', [
    {
      Put: {
        TableName: base.deadLetters,
        Item: { ...lockKey(task.sourceQueueId), taskId: { S: task.taskId } },
        ConditionExpression: conditions.itemAbsent,
      },
    },
    { Put: { TableName: base.deadLetters, Item: taskItem(task) } },
  ]);
  return created ? 'created' : 'busy';
}

export async function getMoveTask(base: DynamoBase, sourceQueueId: string, taskId: string) {
  const out = await base.run('getMoveTask', (c) =>
    base.client.send(
      new GetItemCommand({
        ...c,
        TableName: base.deadLetters,
        Key: taskKey(sourceQueueId, taskId),
        ConsistentRead: true,
      }),
    ),
  );
  return out.Item ? itemToTask(out.Item) : undefined;
}

export async function listMoveTasks(base: DynamoBase, sourceQueueId: string, limit: number) {
  const out = await base.run('listMoveTasks', (c) =>
    base.client.send(
      new QueryCommand({
        ...c,
        TableName: base.deadLetters,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: `t#${sourceQueueId}` } },
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
  const keys = (out.Items ?? []).map((lock) => taskKey(lock.sk!.S!, lock.taskId!.S!));
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
    { Delete: { TableName: base.deadLetters, Key: lockKey(task.sourceQueueId) } },
  ]);
}

function taskItem(task: MoveTask): Item {
  return {
    ...taskKey(task.sourceQueueId, task.taskId),
    st: { S: task.status },
    data: { S: JSON.stringify(task) },
  };
}

const itemToTask = (item: Item): MoveTask => JSON.parse(item.data!.S!) as MoveTask;
