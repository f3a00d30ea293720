import { fixedClock } from '@budgeting/platform';
import { describe, expect, it, vi } from 'vitest';
import { ImportUndoService } from './import-undo.service';

/**
 * What an import's undo says when it fails for an error of ours (a part that failed every
 * attempt, units that could not be queued): which part and what stays, never the error's own
 * words. The reason is stored on the import (every member's GET), quoted in the starter's push
 * and carried by expense.import_undo_finished to every member's webhooks; an AWS error names the
 * account, roles and tables (the runner logs it; a start that could not queue logs it itself).
 */
const NOW = '2026-11-20T03:00:00.000Z';
const AWS = 'User: arn:aws:sts::123456789012:assumed-role/budgeting-production-FunctionRole/fn is not authorized to perform: sqs:sendmessage on resource: arn:aws:sqs:eu-west-1:123456789012:budgeting-production-JobQueue';

function service() {
  const undo = { fail: vi.fn(async () => undefined) };
  const logger = { warn: vi.fn() };
  const deps = { undo, clock: fixedClock(NOW), work: { enqueue: vi.fn(async () => Promise.reject(new Error(AWS))) }, stalledAfterMs: 60_000, logger };
  return { svc: new ImportUndoService(deps as unknown as ConstructorParameters<typeof ImportUndoService>[0]), undo, logger };
}

describe('ImportUndoService: a failure of ours', () => {
  it('a part that failed every attempt fails the undo saying which, not the error', async () => {
    const { svc, undo } = service();
    await svc.failChunk({ budgetId: 'b1', importId: 'i1', chunk: 1 }, new Error(AWS));
    expect(undo.fail).toHaveBeenCalledWith('b1', 'i1', 'part 2 of the import failed every attempt (an error on our side, logged for the operators); the expenses removed before stay removed', 'part-failed', new Date(NOW));
  });

  it('units that could not be queued fail the undo as not started, not the error, and log the error', async () => {
    const { svc, undo, logger } = service();
    // The start's last step (private: reached through start() only after its access and record checks).
    const queueUnits = (svc as unknown as { queueUnits(record: { budgetId: string; id: string }, chunks: number[], now: Date): Promise<void> }).queueUnits.bind(svc);
    await queueUnits({ budgetId: 'b1', id: 'i1' }, [0, 1], new Date(NOW));
    expect(undo.fail).toHaveBeenCalledWith('b1', 'i1', 'the undo could not start (an error on our side, logged for the operators)', 'not-started', new Date(NOW));
    expect(logger.warn).toHaveBeenCalledWith('import undo not started: its units could not be queued', expect.objectContaining({ budgetId: 'b1', importId: 'i1', error: expect.any(Error) }));
  });
});
