import { ConditionalCheckFailedException, ProvisionedThroughputExceededException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { awsErrorToProblem } from '../http/aws-errors';
import {
  cancellationCodes,
  cancellationUntouched,
  cancelledOnlyAt,
  cancelledOnlyByConflicts,
  conditionFailedAt,
  conditionHeld,
  failedConditions,
  isConditionFailed,
  isTransactionConditionFailed,
  refusingItem,
} from './condition-failed';

/** The errors as the SDK builds them from DynamoDB's answers (its deserializers call these constructors). */
const single = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
    $metadata: {},
    CancellationReasons: codes.map((Code) => (Code === 'None' ? { Code } : { Code, Message: `${Code} message` })),
  });

describe('a failed condition, in its two forms', () => {
  it('a single write: isConditionFailed, never a transaction\'s', () => {
    expect(isConditionFailed(single())).toBe(true);
    expect(isTransactionConditionFailed(single())).toBe(false);
    expect(conditionFailedAt(single(), 0)).toBe(false);
    expect(isConditionFailed(cancelled('ConditionalCheckFailed'))).toBe(false);
  });

  it('a transaction: which items failed, by their index', () => {
    const err = cancelled('None', 'ConditionalCheckFailed', 'None', 'ConditionalCheckFailed');
    expect(cancellationCodes(err)).toEqual(['None', 'ConditionalCheckFailed', 'None', 'ConditionalCheckFailed']);
    expect(failedConditions(err)).toEqual([1, 3]);
    expect(isTransactionConditionFailed(err)).toBe(true);
    expect(isTransactionConditionFailed(err, 1)).toBe(true);
    expect(isTransactionConditionFailed(err, 0)).toBe(false);
    expect(conditionFailedAt(err, 3)).toBe(true);
    expect(conditionFailedAt(err, 4)).toBe(false);
  });

  it('a transaction cancelled by a conflict or throttling is no failed condition (and stays a 503)', () => {
    for (const err of [cancelled('TransactionConflict', 'None'), cancelled('None', 'ThrottlingError'), cancelled('ProvisionedThroughputExceeded')]) {
      expect(isTransactionConditionFailed(err)).toBe(false);
      expect(failedConditions(err)).toEqual([]);
      expect(awsErrorToProblem(err)?.status).toBe(503);
    }
  });

  it('a 503 is told by the reasons\' codes, not only by the message that lists them', () => {
    const reasonsOnly = (...codes: string[]) =>
      new TransactionCanceledException({ message: 'Transaction cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });
    expect(awsErrorToProblem(reasonsOnly('None', 'ThrottlingError'))?.status).toBe(503);
    expect(awsErrorToProblem(reasonsOnly('TransactionConflict'))?.status).toBe(503);
    expect(awsErrorToProblem(reasonsOnly('ProvisionedThroughputExceeded', 'None'))?.status).toBe(503);
    // A failed condition beside a conflict is a lost race for its caller to answer, not a 503.
    expect(awsErrorToProblem(reasonsOnly('ConditionalCheckFailed', 'None'))).toBeUndefined();
  });

  it('without reasons, the codes DynamoDB lists in the message are read by the same rule', () => {
    const messageOnly = (message: string) => new TransactionCanceledException({ message, $metadata: {} });
    expect(awsErrorToProblem(messageOnly('Transaction cancelled, please refer cancellation reasons for specific reasons [None, ThrottlingError]'))?.status).toBe(503);
    expect(awsErrorToProblem(messageOnly('Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict]'))?.status).toBe(503);
    expect(awsErrorToProblem(messageOnly('Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, TransactionConflict]'))).toBeUndefined();
    expect(awsErrorToProblem(messageOnly('Transaction cancelled'))).toBeUndefined();
  });

  it('anything else: no codes, no failed condition', () => {
    for (const err of [new ProvisionedThroughputExceededException({ message: 'throttled', $metadata: {} }), new Error('boom'), undefined, null, 'text']) {
      expect(cancellationCodes(err)).toEqual([]);
      expect(isConditionFailed(err)).toBe(false);
      expect(isTransactionConditionFailed(err)).toBe(false);
    }
  });
});

describe('which item of a cancelled transaction failed, and which were untouched', () => {
  const withoutCodes = (...codes: (string | undefined)[]) =>
    new TransactionCanceledException({ message: 'Transaction cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => (Code ? { Code } : {})) });

  it('cancellationUntouched: only an explicit None (condition held or not evaluated)', () => {
    const err = cancelled('None', 'ConditionalCheckFailed', 'TransactionConflict');
    expect(cancellationUntouched(err, 0)).toBe(true);
    expect(cancellationUntouched(err, 1)).toBe(false);
    expect(cancellationUntouched(err, 2)).toBe(false);
    // Beyond the reasons, a reason without a code, a single write, anything else: not proven untouched.
    expect(cancellationUntouched(err, 3)).toBe(false);
    expect(cancellationUntouched(withoutCodes(undefined, 'ConditionalCheckFailed'), 0)).toBe(false);
    expect(cancellationUntouched(single(), 0)).toBe(false);
    expect(cancellationUntouched(new Error('boom'), 0)).toBe(false);
  });

  it('cancelledOnlyAt: that item\'s condition failed and every other item caused nothing', () => {
    expect(cancelledOnlyAt(cancelled('None', 'ConditionalCheckFailed', 'None'), 1)).toBe(true);
    expect(cancelledOnlyAt(withoutCodes(undefined, 'ConditionalCheckFailed'), 1)).toBe(true);
    expect(cancelledOnlyAt(cancelled('None', 'ConditionalCheckFailed'), 0)).toBe(false);
    expect(cancelledOnlyAt(cancelled('ConditionalCheckFailed', 'ConditionalCheckFailed'), 1)).toBe(false);
    expect(cancelledOnlyAt(cancelled('TransactionConflict', 'ConditionalCheckFailed'), 1)).toBe(false);
    expect(cancelledOnlyAt(cancelled('None', 'ThrottlingError'), 1)).toBe(false);
    expect(cancelledOnlyAt(single(), 0)).toBe(false);
  });

  it('cancelledOnlyByConflicts: at least one conflict, nothing else but untouched items', () => {
    expect(cancelledOnlyByConflicts(cancelled('TransactionConflict', 'None'))).toBe(true);
    expect(cancelledOnlyByConflicts(cancelled('TransactionConflict', 'TransactionConflict'))).toBe(true);
    expect(cancelledOnlyByConflicts(withoutCodes('TransactionConflict', undefined))).toBe(true);
    expect(cancelledOnlyByConflicts(cancelled('None', 'None'))).toBe(false);
    expect(cancelledOnlyByConflicts(cancelled('TransactionConflict', 'ConditionalCheckFailed'))).toBe(false);
    expect(cancelledOnlyByConflicts(cancelled('TransactionConflict', 'ThrottlingError'))).toBe(false);
    expect(cancelledOnlyByConflicts(new Error('TransactionConflict'))).toBe(false);
  });
});

describe('conditionHeld', () => {
  it('true when written; false for a failed condition of a single write or of any item of a transaction', async () => {
    expect(await conditionHeld(Promise.resolve({}))).toBe(true);
    expect(await conditionHeld(Promise.reject(single()))).toBe(false);
    expect(await conditionHeld(Promise.reject(cancelled('None', 'ConditionalCheckFailed')))).toBe(false);
  });

  it('throws on whatever is not a failed condition: a conflict, throttling, any other error', async () => {
    const conflict = cancelled('TransactionConflict', 'None');
    await expect(conditionHeld(Promise.reject(conflict))).rejects.toBe(conflict);
    const throttled = cancelled('ThrottlingError');
    await expect(conditionHeld(Promise.reject(throttled))).rejects.toBe(throttled);
    const other = new Error('boom');
    await expect(conditionHeld(Promise.reject(other))).rejects.toBe(other);
  });
});

describe('refusingItem', () => {
  it('gives the item that refused a single write (ALL_OLD) as plain values: the SDK leaves it as DynamoDB sent it', () => {
    const refused = new ConditionalCheckFailedException({
      message: 'The conditional request failed',
      $metadata: {},
      Item: { pk: { S: 'x#1' }, claimToken: { S: 'mine' }, claimedAt: { N: '1700000000000' } },
    });
    expect(refusingItem(refused)).toEqual({ pk: 'x#1', claimToken: 'mine', claimedAt: 1_700_000_000_000 });
  });

  it('is undefined without an item, and for any other error (a transaction\'s cancellation, a throttle)', () => {
    expect(refusingItem(single())).toBeUndefined();
    expect(refusingItem(cancelled('ConditionalCheckFailed'))).toBeUndefined();
    expect(refusingItem(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }))).toBeUndefined();
    expect(refusingItem(undefined)).toBeUndefined();
  });
});

describe('awsErrorToProblem and the network', () => {
  it('a timeout or a reset connection out of an AWS client\'s retries ($metadata.attempts) is a 503; the same from other code stays unmapped (a 500)', () => {
    const afterRetries = { $metadata: { attempts: 3, totalRetryDelay: 120 } };
    expect(awsErrorToProblem(Object.assign(new Error('Connection timed out'), { name: 'TimeoutError' }, afterRetries))?.status).toBe(503);
    expect(awsErrorToProblem(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }, afterRetries))?.status).toBe(503);
    expect(awsErrorToProblem(Object.assign(new Error('Connection timed out'), { name: 'TimeoutError' }))).toBeUndefined();
    expect(awsErrorToProblem(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBeUndefined();
  });
});
