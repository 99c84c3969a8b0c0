import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { ServiceFunction } from './service-function';

/**
 * Lets a function's stream mapping read the messages table's stream: the four actions Lambda's
 * poller uses, on that stream only (DynamoDB Developer Guide, "IAM policy to allow an AWS Lambda
 * function to access DynamoDB stream records"). The push dispatcher and the counter function use it.
 */
export function allowMessagesStreamRead(fn: ServiceFunction, streamArn: string): void {
  fn.role.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'ReadMessagesStream',
      actions: [
        'dynamodb:DescribeStream',
        'dynamodb:GetRecords',
        'dynamodb:GetShardIterator',
        'dynamodb:ListStreams',
      ],
      resources: [streamArn],
    }),
  );
}
