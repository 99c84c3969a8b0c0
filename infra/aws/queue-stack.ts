import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { QueueService, type QueueServiceProps } from './queue-service';

export interface QueueStackProps extends StackProps {
  /** Passed to the QueueService construct. @default - the construct's defaults */
  readonly service?: QueueServiceProps;
}

/** The deployable unit: the queue service and the outputs a user needs to call it. */
export class QueueStack extends Stack {
  readonly service: QueueService;

  constructor(scope: Construct, id: string, props: QueueStackProps = {}) {
    super(scope, id, props);
    this.service = new QueueService(this, 'QueueService', props.service);
    new CfnOutput(this, 'ApiUrl', {
      description: 'Base URL of the REST API (sign requests with SigV4 for execute-api)',
      value: this.service.apiUrl,
    });
    new CfnOutput(this, 'MessagesTableName', {
      description: 'DynamoDB table holding queues and messages',
      value: this.service.messagesTable.tableName,
    });
    new CfnOutput(this, 'DeadLettersTableName', {
      description: 'DynamoDB table holding dead letters',
      value: this.service.deadLettersTable.tableName,
    });
    new CfnOutput(this, 'DashboardName', {
      description: 'CloudWatch dashboard of the service',
      value: this.service.monitoring.dashboard.dashboardName,
    });
  }
}
