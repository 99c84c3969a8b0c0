/**
 * The REST dialect's responses as its clients (the web console and the dq CLI) read them: one
 * description for both, kept next to the representations that produce them (representations.ts,
 * inspection-operations.ts, redrive-operations.ts). Type-only: nothing here runs.
 */
export interface MessageCounts {
  visible: number;
  inFlight: number;
  delayed: number;
  oldestMessageAgeSeconds?: number;
  /** Present (true) only when a FIFO queue's counts were estimated from a sample of its groups. */
  approximate?: true;
}

export interface Queue {
  name: string;
  arn: string;
  createdAt: string;
  updatedAt: string;
  visibilityTimeoutSeconds: number;
  retentionSeconds: number;
  delaySeconds: number;
  maxMessageBytes: number;
  receiveWaitSeconds: number;
  maxReceiveCount?: number;
  deadLetterQueue?: string;
  shardCount: number;
  fifo?: boolean;
  contentBasedDeduplication?: boolean;
  tags: Record<string, string>;
  messages?: MessageCounts;
}

export interface QueuePage {
  queues: Queue[];
  nextToken?: string;
}

export interface MinuteStats {
  minute: string;
  sent: number;
  received: number;
  deleted: number;
  deadLettered: number;
  redriven: number;
  visible?: number;
  inFlight?: number;
  delayed?: number;
}

export interface QueueStats {
  name: string;
  minutes: MinuteStats[];
}

export type AttributeValue = { dataType: string; stringValue?: string; binaryValue?: string };

export interface PeekedMessage {
  messageId: string;
  body: string;
  attributes?: Record<string, AttributeValue>;
  sentAt: string;
  receiveCount: number;
  state: 'visible' | 'inFlight' | 'delayed';
  visibleAt: string;
  groupId?: string;
  sequenceNumber?: string;
}

export interface DeadLetter {
  messageId: string;
  body: string;
  attributes?: Record<string, AttributeValue>;
  sentAt: string;
  deadLetter?: {
    sourceQueue: string;
    reason: string;
    receiveCount: number;
    firstReceivedAt?: string;
    lastReceivedAt?: string;
    deadLetteredAt: string;
  };
}

/** Query parameters of GET /queues/{name}/dead-letters. */
export interface DeadLetterBrowseQuery {
  order?: 'newest' | 'oldest';
  limit?: number;
  nextToken?: string;
  deadLetteredAfter?: string;
  deadLetteredBefore?: string;
  /** With attributeValue: only dead letters whose String attribute has that value. */
  attributeName?: string;
  attributeValue?: string;
}

export interface DeadLetterPage {
  messages: DeadLetter[];
  nextToken?: string;
}

export type TaskStatus = 'RUNNING' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED';

export interface RedriveTask {
  taskId: string;
  status: TaskStatus;
  source: string;
  destination?: string;
  maxMessagesPerSecond: number;
  moved: number;
  toMove: number;
  startedAt: string;
  updatedAt: string;
  failureReason?: string;
}

export interface RedriveRequest {
  destination?: string;
  maxMessagesPerSecond?: number;
  messageIds?: string[];
  attribute?: { name: string; value: string };
  deadLetteredAfter?: string;
  deadLetteredBefore?: string;
}

/** An RFC 9457 problem body, as the API sends it with every 4xx and 5xx. */
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code?: string;
  field?: string;
  allowed?: string;
}

export interface ReceivedMessage {
  messageId: string;
  body: string;
  receiptHandle: string;
  receiveCount: number;
  sentAt: string;
  firstReceivedAt?: string;
  groupId?: string;
  sequenceNumber?: string;
  attributes: Record<string, AttributeValue>;
}

export interface BatchResult {
  successful: { id: string; messageId?: string }[];
  failed: { id: string; code: string; message: string; senderFault: boolean }[];
}
