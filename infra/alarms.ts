import { deadLetters } from './bus';
import { queueAlarm } from './queue-alarm';

/**
 * Alarms on what must never pile up unseen. Every asynchronous delivery that finally failed
 * lands in the dead-letter queue (infra/bus.ts), so one visible message there already means
 * an event, a job run or a stream batch needs a look (replay or discard it). The alarm has no
 * action yet: subscribe a notification (SNS, chat) to it per account.
 *
 * ApproximateNumberOfMessagesVisible is published every minute while the queue is active;
 * missing data (an idle, empty queue) is not an alarm.
 */
export const deadLettersAlarm = queueAlarm('DeadLettersAlarm', {
  description: 'Deliveries failed for good and wait in the dead-letter queue: replay or discard them.',
  queue: deadLetters,
  metricName: 'ApproximateNumberOfMessagesVisible',
  period: 60,
  threshold: 0,
});
