import { lambdaFunctions } from '../dialects/sns/function-invoker';
import { fetchEndpoints } from '../dialects/sns/http-endpoints';
import { DynamoTopicStatsStore } from '../store/topic-stats-store';
import { DynamoTopicStore } from '../store/topic-store';
import { createTopicsContext } from '../topics/context';
import { provideTopics } from './runtime';

/**
 * Topics for the functions that serve them (topics, sqs for the SNS protocol, the sweeper for the
 * outbox): importing this module gives their runtime its topics context. The other functions do
 * not import it, so their bundles carry no topic code (publishing, signing, filter policies).
 */
provideTopics((queue, options) =>
  createTopicsContext({
    store: new DynamoTopicStore({ client: options.client, table: options.tables.messages }),
    statsStore: new DynamoTopicStatsStore({ client: options.client, table: options.tables.messages }),
    queue,
    endpoints: fetchEndpoints,
    // Only on Lambda: the local service has no functions to invoke (its lambda deliveries are dropped).
    ...(process.env.AWS_LAMBDA_FUNCTION_NAME ? { functions: lambdaFunctions() } : {}),
  }),
);
