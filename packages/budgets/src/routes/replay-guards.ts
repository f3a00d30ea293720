import type { ReplayGuard } from '@budgeting/platform';
import { requireRole, type AccessService } from '../service/access';

/**
 * The access checks an Idempotency-Key replay must pass on this module's keyed routes (the
 * creating POSTs, the member PATCH, the settlement PATCH, move-money and the period-limit PUT): the same ones the handlers make,
 * so a member who lost the right (removed, demoted, budget deleted) gets the normal 404/403
 * instead of the stored answer. A settlement's correction is the owner's or its recorder's;
 * still being a writing member is enough here, since the key is the caller's own and only
 * a caller the handler let through has an answer stored under it.
 */
export function replayGuards(access: AccessService) {
  const mayStill = (action: 'members' | 'reports' | 'settlements' | 'periodLimits'): ReplayGuard => async (c) => {
    // A replay writes nothing: the stored answer of a write made before the budget was archived is still given.
    requireRole(await access.require(c.req.param('budgetId') ?? '', c.get('userId')), action, 'allowed');
  };
  // Any member may copy a budget (the copy is theirs): still being one is the check.
  const mayStillRead: ReplayGuard = async (c) => {
    await access.require(c.req.param('budgetId') ?? '', c.get('userId'));
  };
  return { addMember: mayStill('members'), invite: mayStill('members'), changeMember: mayStill('members'), createReport: mayStill('reports'), recordSettlement: mayStill('settlements'), changeSettlement: mayStill('settlements'), periodLimits: mayStill('periodLimits'), copyBudget: mayStillRead };
}
