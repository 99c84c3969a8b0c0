/** The REST dialect's shapes the tool reads (see functions/dialects/rest/schemas.ts). */
export interface Counts {
  visible: number;
  inFlight: number;
  delayed: number;
  oldestMessageAgeSeconds?: number;
}

export interface Queue {
  name: string;
  arn: string;
  visibilityTimeoutSeconds: number;
  maxReceiveCount?: number;
  deadLetterQueue?: string;
  fifo?: boolean;
  messages?: Counts;
}

export interface QueueList {
  queues: Queue[];
  nextToken?: string;
}

export interface Attribute {
  dataType: string;
  stringValue?: string;
  binaryValue?: string;
}

export interface ReceivedMessage {
  messageId: string;
  body: string;
  receiptHandle: string;
  receiveCount: number;
  sentAt: string;
  groupId?: string;
  attributes: Record<string, Attribute>;
}

export interface PeekedMessage {
  messageId: string;
  body: string;
  receiveCount: number;
  sentAt: string;
  state: 'visible' | 'inFlight' | 'delayed';
  visibleAt: string;
  groupId?: string;
  attributes?: Record<string, Attribute>;
}

export interface BatchResult {
  successful: { id: string; messageId?: string }[];
  failed: { id: string; code: string; message: string; senderFault: boolean }[];
}

export interface DeadLetter {
  messageId: string;
  body: string;
  sentAt: string;
  attributes?: Record<string, Attribute>;
  deadLetter?: { sourceQueue: string; reason: string; receiveCount: number; deadLetteredAt: string };
}

export interface RedriveTask {
  taskId: string;
  status: 'RUNNING' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED';
  source: string;
  destination?: string;
  maxMessagesPerSecond: number;
  moved: number;
  toMove: number;
  startedAt: string;
  updatedAt: string;
  failureReason?: string;
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
