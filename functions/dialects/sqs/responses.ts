import type { HttpResult } from '../http';
import type { SqsProtocol } from './protocol';
import { buildXml, type XmlNode, type XmlValue } from './xml';

/**
 * Successful replies. Actions return their output in the JSON protocol's shape; for the Query
 * protocol it is rewritten into SQS's XML: flattened lists under singular member names, maps
 * as Name/Value (tags: Key/Value) pairs, wrapped in <Action>Response/<Action>Result.
 */
export type ActionOutput = Record<string, unknown>;

/** Actions whose Query reply carries an <Action>Result element (the rest only ResponseMetadata). */
const withResult = new Set([
  'CreateQueue',
  'GetQueueUrl',
  'ListQueues',
  'GetQueueAttributes',
  'ListQueueTags',
  'ListDeadLetterSourceQueues',
  'SendMessage',
  'SendMessageBatch',
  'ReceiveMessage',
  'DeleteMessageBatch',
  'ChangeMessageVisibilityBatch',
  'StartMessageMoveTask',
  'ListMessageMoveTasks',
  'CancelMessageMoveTask',
]);

export function sqsResponse(
  protocol: SqsProtocol,
  action: string,
  output: ActionOutput,
  requestId: string,
): HttpResult {
  if (protocol === 'json') {
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': requestId },
      body: JSON.stringify(output),
    };
  }
  const content: XmlNode = {};
  if (withResult.has(action)) content[`${action}Result`] = toXml(output, action);
  content.ResponseMetadata = { RequestId: requestId };
  return {
    statusCode: 200,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body: buildXml(`${action}Response`, content),
  };
}

function toXml(output: ActionOutput, action: string): XmlNode {
  const node: XmlNode = {};
  for (const [key, value] of Object.entries(output)) {
    if (value === undefined) continue;
    switch (key) {
      case 'QueueUrls':
      case 'queueUrls':
        node.QueueUrl = (value as string[]).map(String);
        break;
      case 'Attributes':
        node.Attribute = pairs(value as Record<string, unknown>, 'Name', action);
        break;
      case 'MessageAttributes':
        node.MessageAttribute = pairs(value as Record<string, unknown>, 'Name', action);
        break;
      case 'Tags':
        node.Tag = pairs(value as Record<string, unknown>, 'Key', action);
        break;
      case 'Messages':
        node.Message = (value as ActionOutput[]).map((message) => toXml(message, action));
        break;
      case 'Results': // ListMessageMoveTasks: a flattened list of <ListMessageMoveTasksResultEntry>
      case 'Successful':
        node[`${action}ResultEntry`] = (value as ActionOutput[]).map((entry) => toXml(entry, action));
        break;
      case 'Failed':
        node.BatchResultErrorEntry = (value as ActionOutput[]).map((entry) => toXml(entry, action));
        break;
      default:
        node[key] = scalarOrNode(value, action);
    }
  }
  return node;
}

function pairs(map: Record<string, unknown>, keyName: string, action: string): XmlNode[] {
  return Object.entries(map).map(([name, value]) => ({
    [keyName]: name,
    Value: scalarOrNode(value, action),
  }));
}

function scalarOrNode(value: unknown, action: string): XmlValue {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return toXml(value as ActionOutput, action);
  }
  return String(value);
}
