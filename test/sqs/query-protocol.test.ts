// The Query protocol, spoken directly: form posts (to `/` and to the queue URL), GET query
// strings, flattened lists and maps, XML replies and ErrorResponse documents. Then Debian's
// /usr/bin/aws (awscli 2.9, which speaks Query) when the machine has it.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { md5OfAttributes, md5OfBody } from '../../functions/dialects/sqs/md5';
import { type SqsTestService, startSqsService, uniqueName } from './service';

let env: SqsTestService;
beforeAll(async () => {
  env = await startSqsService();
});
afterAll(() => env.close());

// Repeated elements are lists, as a Query client's model says; numeric entities (&#xD;) are decoded.
const repeated = ['QueueUrl', 'Attribute', 'MessageAttribute', 'Tag', 'BatchResultErrorEntry'];
const parser = new XMLParser({
  isArray: (name, jpath) =>
    repeated.includes(name) || name.endsWith('ResultEntry') || String(jpath).endsWith('Result.Message'),
  parseTagValue: false,
  htmlEntities: true,
});

async function query(params: Record<string, string>, path = '/') {
  const response = await fetch(`${env.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: new URLSearchParams({ Version: '2012-11-05', ...params }),
  });
  expect(response.headers.get('content-type')).toBe('text/xml');
  return { status: response.status, xml: parser.parse(await response.text()) };
}

describe('Query protocol', () => {
  test('create, send with attributes, receive, delete: XML in the SQS namespace', async () => {
    const name = uniqueName();
    const created = await query({
      Action: 'CreateQueue',
      QueueName: name,
      'Attribute.1.Name': 'VisibilityTimeout',
      'Attribute.1.Value': '40',
      'Tag.1.Key': 'team',
      'Tag.1.Value': 'core',
    });
    expect(created.status).toBe(200);
    const url = created.xml.CreateQueueResponse.CreateQueueResult.QueueUrl[0];
    expect(url).toBe(env.queueUrl(name));
    expect(created.xml.CreateQueueResponse['@_xmlns']).toBeUndefined(); // attributes are ignored by this parser
    expect(created.xml.CreateQueueResponse.ResponseMetadata.RequestId).toMatch(/^[0-9a-f-]{36}$/);

    const body = 'line one\r\nline two & <three>';
    const sent = await query({
      Action: 'SendMessage',
      QueueUrl: url,
      MessageBody: body,
      'MessageAttribute.1.Name': 'colour',
      'MessageAttribute.1.Value.DataType': 'String',
      'MessageAttribute.1.Value.StringValue': 'blue',
      'MessageAttribute.2.Name': 'bytes',
      'MessageAttribute.2.Value.DataType': 'Binary',
      'MessageAttribute.2.Value.BinaryValue': Buffer.from([1, 2, 3]).toString('base64'),
    });
    const result = sent.xml.SendMessageResponse.SendMessageResult;
    expect(result.MD5OfMessageBody).toBe(md5OfBody(body));
    expect(result.MD5OfMessageAttributes).toBe(
      md5OfAttributes({
        colour: { dataType: 'String', stringValue: 'blue' },
        bytes: { dataType: 'Binary', binaryValue: 'AQID' },
      }),
    );

    // Posted to the queue's own path, without QueueUrl, as older SDKs do.
    const received = await query(
      {
        Action: 'ReceiveMessage',
        'AttributeName.1': 'All',
        'MessageAttributeName.1': 'All',
        MaxNumberOfMessages: '10',
      },
      new URL(url).pathname,
    );
    const [message] = received.xml.ReceiveMessageResponse.ReceiveMessageResult.Message;
    expect(message.Body).toBe(body); // the CR survives as &#xD;
    expect(message.MD5OfBody).toBe(md5OfBody(body));
    expect(message.MD5OfMessageAttributes).toBe(result.MD5OfMessageAttributes);
    const attributes = Object.fromEntries(
      message.Attribute.map((a: { Name: string; Value: string }) => [a.Name, a.Value]),
    );
    expect(attributes.ApproximateReceiveCount).toBe('1');
    expect(message.MessageAttribute).toEqual(
      expect.arrayContaining([
        { Name: 'colour', Value: { StringValue: 'blue', DataType: 'String' } },
        { Name: 'bytes', Value: { BinaryValue: 'AQID', DataType: 'Binary' } },
      ]),
    );

    const deleted = await query({
      Action: 'DeleteMessage',
      QueueUrl: url,
      ReceiptHandle: message.ReceiptHandle,
    });
    expect(deleted.xml.DeleteMessageResponse.ResponseMetadata.RequestId).toBeDefined();
    const tags = await query({ Action: 'ListQueueTags', QueueUrl: url });
    expect(tags.xml.ListQueueTagsResponse.ListQueueTagsResult.Tag).toEqual([{ Key: 'team', Value: 'core' }]);
  });

  test('GET with a query string; flattened batch entries', async () => {
    const name = uniqueName();
    await query({ Action: 'CreateQueue', QueueName: name });
    const response = await fetch(
      `${env.url}/?${new URLSearchParams({ Action: 'GetQueueUrl', QueueName: name, Version: '2012-11-05' })}`,
    );
    const got = parser.parse(await response.text());
    const url = got.GetQueueUrlResponse.GetQueueUrlResult.QueueUrl[0];
    const batch = await query({
      Action: 'SendMessageBatch',
      QueueUrl: url,
      'SendMessageBatchRequestEntry.1.Id': 'a',
      'SendMessageBatchRequestEntry.1.MessageBody': 'first',
      'SendMessageBatchRequestEntry.2.Id': 'b',
      'SendMessageBatchRequestEntry.2.MessageBody': 'second',
      'SendMessageBatchRequestEntry.2.DelaySeconds': '2',
      'SendMessageBatchRequestEntry.2.MessageAttribute.1.Name': 'n',
      'SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.DataType': 'Number',
      'SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.StringValue': '3',
      'SendMessageBatchRequestEntry.3.Id': 'c',
      'SendMessageBatchRequestEntry.3.MessageBody': 'third',
      'SendMessageBatchRequestEntry.3.DelaySeconds': 'soon',
    });
    const result = batch.xml.SendMessageBatchResponse.SendMessageBatchResult;
    expect(result.SendMessageBatchResultEntry.map((e: { Id: string }) => e.Id).sort()).toEqual(['a', 'b']);
    expect(
      result.SendMessageBatchResultEntry.find((e: { Id: string }) => e.Id === 'b').MD5OfMessageAttributes,
    ).toBe(md5OfAttributes({ n: { dataType: 'Number', stringValue: '3' } }));
    expect(result.BatchResultErrorEntry).toEqual([
      expect.objectContaining({ Id: 'c', Code: 'InvalidParameterValue', SenderFault: 'true' }),
    ]);
    const attributes = await query({
      Action: 'GetQueueAttributes',
      QueueUrl: url,
      'AttributeName.1': 'ApproximateNumberOfMessages',
      'AttributeName.2': 'ApproximateNumberOfMessagesDelayed',
    });
    expect(attributes.xml.GetQueueAttributesResponse.GetQueueAttributesResult.Attribute).toEqual([
      { Name: 'ApproximateNumberOfMessages', Value: '1' },
      { Name: 'ApproximateNumberOfMessagesDelayed', Value: '1' },
    ]);
  });

  test('errors are ErrorResponse documents with the Query codes', async () => {
    const missingQueue = await query({ Action: 'GetQueueUrl', QueueName: uniqueName('none') });
    expect(missingQueue.status).toBe(400);
    expect(missingQueue.xml.ErrorResponse.Error).toMatchObject({
      Type: 'Sender',
      Code: 'AWS.SimpleQueueService.NonExistentQueue',
    });
    expect(missingQueue.xml.ErrorResponse.RequestId).toBeDefined();
    const unknown = await query({ Action: 'Explode' });
    expect(unknown.xml.ErrorResponse.Error.Code).toBe('InvalidAction');
    const noAction = await query({});
    expect(noAction.xml.ErrorResponse.Error.Code).toBe('InvalidAction');
    const missing = await query({ Action: 'CreateQueue' });
    expect(missing.xml.ErrorResponse.Error).toMatchObject({ Code: 'MissingParameter' });
    expect(missing.xml.ErrorResponse.Error.Message).toMatch(/QueueName/);
    const badAttribute = await query({
      Action: 'CreateQueue',
      QueueName: uniqueName(),
      'Attribute.1.Name': 'DelaySeconds',
      'Attribute.1.Value': '9999',
    });
    expect(badAttribute.xml.ErrorResponse.Error.Code).toBe('InvalidAttributeValue');
    const name = uniqueName();
    const url = (await query({ Action: 'CreateQueue', QueueName: name })).xml.CreateQueueResponse
      .CreateQueueResult.QueueUrl[0];
    const emptyBatch = await query({ Action: 'DeleteMessageBatch', QueueUrl: url });
    expect(emptyBatch.xml.ErrorResponse.Error.Code).toBe('AWS.SimpleQueueService.EmptyBatchRequest');
  });
});

const debianAws = '/usr/bin/aws';
const run = promisify(execFile);

describe.runIf(existsSync(debianAws))("Debian's /usr/bin/aws (Query protocol)", () => {
  const cli = async (...args: string[]) => {
    const { stdout } = await run(debianAws, ['--endpoint-url', env.url, '--output', 'json', 'sqs', ...args], {
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: 'x',
        AWS_SECRET_ACCESS_KEY: 'x',
        AWS_DEFAULT_REGION: 'us-east-1',
      },
    });
    return stdout.trim() ? JSON.parse(stdout) : {};
  };

  test('create, send with attributes, receive, delete, errors', async () => {
    const name = uniqueName();
    const { QueueUrl } = await cli('create-queue', '--queue-name', name);
    expect(QueueUrl).toBe(env.queueUrl(name));
    await cli(
      'send-message',
      '--queue-url',
      QueueUrl,
      '--message-body',
      'from debian',
      '--message-attributes',
      '{"k":{"DataType":"String","StringValue":"v"}}',
    );
    const { Messages } = await cli(
      'receive-message',
      '--queue-url',
      QueueUrl,
      '--message-attribute-names',
      'All',
    );
    expect(Messages[0].Body).toBe('from debian');
    expect(Messages[0].MessageAttributes.k.StringValue).toBe('v');
    await cli('delete-message', '--queue-url', QueueUrl, '--receipt-handle', Messages[0].ReceiptHandle);
    await expect(cli('get-queue-url', '--queue-name', uniqueName('none'))).rejects.toThrow(
      /NonExistentQueue/,
    );
  });
});

test.skipIf(existsSync(debianAws))(
  `SKIPPED: ${debianAws} (Debian awscli, Query protocol) is absent; .ci/run installs it`,
  () => {
    console.warn(`${debianAws} is absent: the Debian awscli (Query protocol) test did not run`);
  },
);
