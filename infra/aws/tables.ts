import type { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  type StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import type { KeyAttribute, TableLayout } from '../../functions/store/table-layout';

export interface LayoutTableOptions {
  tableName: string;
  removalPolicy: RemovalPolicy;
  deletionProtection: boolean;
  /** A customer-managed key; without one DynamoDB uses its AWS-owned key. */
  encryptionKey: IKey | undefined;
  /** The table's stream, for functions it triggers (push delivery's dispatcher). */
  stream?: StreamViewType;
}

const attributeTypes: Record<KeyAttribute['type'], AttributeType> = {
  S: AttributeType.STRING,
  N: AttributeType.NUMBER,
  B: AttributeType.BINARY,
};

const attribute = (key: KeyAttribute) => ({ name: key.name, type: attributeTypes[key.type] });

/**
 * Declares a table from the layout the store uses (functions/store/table-layout.ts), so keys,
 * indexes and the TTL attribute cannot differ between the code and the deployed table.
 */
export function tableFromLayout(
  scope: Construct,
  id: string,
  layout: TableLayout,
  options: LayoutTableOptions,
): Table {
  const table = new Table(scope, id, {
    tableName: options.tableName,
    partitionKey: attribute(layout.partitionKey),
    sortKey: attribute(layout.sortKey),
    // A queue's traffic comes in bursts and may idle for days: on-demand follows it and costs nothing idle.
    billingMode: BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    ...(options.encryptionKey
      ? { encryption: TableEncryption.CUSTOMER_MANAGED, encryptionKey: options.encryptionKey }
      : { encryption: TableEncryption.DEFAULT }),
    timeToLiveAttribute: layout.ttlAttribute,
    deletionProtection: options.deletionProtection,
    removalPolicy: options.removalPolicy,
    ...(options.stream ? { stream: options.stream } : {}),
  });
  for (const index of layout.indexes) {
    table.addGlobalSecondaryIndex({
      indexName: index.name,
      partitionKey: attribute(index.partitionKey),
      sortKey: attribute(index.sortKey),
      // Keys plus the few attributes a reader needs keep each index write small (see FACTS.md).
      ...(index.projected.length > 0
        ? { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: index.projected }
        : { projectionType: ProjectionType.KEYS_ONLY }),
    });
  }
  return table;
}
