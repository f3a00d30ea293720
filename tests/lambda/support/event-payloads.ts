import { marshall } from '@aws-sdk/util-dynamodb';
import { fixture } from './fixtures';
import type { PutEventsEntry } from './fake-eventbridge';

/**
 * Our events in the shape of the real AWS payloads of ../shared/fixtures/aws-events: a
 * DynamoDB stream batch carrying table items, and an EventBridge event carrying an entry the
 * relay published, as a bus rule hands it to the function.
 */

/** The fixture's stream batch with `items` appended as INSERT records (same envelope as its own records). */
export function streamBatch(items: Record<string, any>[]) {
  const batch = fixture('dynamodb-event');
  const template = batch.Records[0];
  let sequence = 1405400000000002063290000n;
  for (const item of items) {
    const record = structuredClone(template);
    sequence += 1n;
    record.eventID = `lambda-subscribers-${sequence}`;
    record.eventName = 'INSERT';
    record.dynamodb.Keys = marshall({ pk: item.pk, sk: item.sk });
    record.dynamodb.NewImage = marshall(item, { removeUndefinedValues: true });
    delete record.dynamodb.OldImage;
    record.dynamodb.SequenceNumber = sequence.toString();
    batch.Records.push(record);
  }
  return batch;
}

/**
 * The fixture's EventBridge event (CodePipeline's) turned into what the subscription's rule
 * delivers for a published entry: our source, detail-type and detail, and the rule's ARN in
 * `resources` (the rule's input transformer puts it there, see rule-input.ts).
 */
export function ruleEvent(entry: PutEventsEntry, ruleArn: string) {
  const event = fixture('codepipeline-execution-state-change-event');
  event.id = `bus-${Math.random().toString(36).slice(2, 10)}`;
  event.source = entry.Source;
  event['detail-type'] = entry.DetailType;
  event.detail = JSON.parse(entry.Detail!);
  event.resources = [ruleArn];
  return event;
}
