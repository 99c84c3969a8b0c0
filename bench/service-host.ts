// The local service in its own process, for the HTTP rows of the bench (started by processes.ts).
// Prints {"url"} once ready; answers "stats" and "reset" lines on stdin with one JSON line each;
// exits when stdin closes (the bench ended or died).
import { createInterface } from 'node:readline';
import { tableNames } from '../functions/store/table-layout';
import { startLocalService } from '../infra/local/service';
import { meterService } from './service-meter';

const service = await startLocalService({
  dynamodbEndpoint: process.env.BENCH_DYNAMODB_ENDPOINT!,
  port: 0,
  tables: tableNames(process.env.BENCH_TABLE_PREFIX),
  defaultShardCount: Number(process.env.BENCH_SHARDS ?? 4),
});
const meter = meterService(service);
process.stdout.write(`${JSON.stringify({ url: service.url })}\n`);

const input = createInterface({ input: process.stdin });
input.on('line', (line) => {
  const command = line.trim();
  if (command === 'stats') process.stdout.write(`${JSON.stringify(meter?.byCommand() ?? {})}\n`);
  else if (command === 'reset') {
    meter?.clear();
    process.stdout.write('{}\n');
  }
});
input.on('close', () => {
  service.close().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 3_000).unref();
});
