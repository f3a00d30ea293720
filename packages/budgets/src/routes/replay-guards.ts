import type { ReplayGuard } from '@budgeting/platform';
import { requireRole, type AccessService } from '../service/access';
import type { MembersService } from '../service/members.service';
import type { SettlementsService } from '../service/settlements.service';

/** What the PATCH guards read besides access: whether the changed resource is still there. */
export interface ReplayedResources {
  members: Pick<MembersService, 'requireStillMember'>;
  settlements: () => Promise<Pick<SettlementsService, 'requireStill'>>;
}

/**
 * The access checks an Idempotency-Key replay must pass on this module's keyed routes (the
 * creating POSTs, the member PATCH, the settlement PATCH, move-money and the period-limit PUT): the same ones the handlers make,
 * so a member who lost the right (removed, demoted, budget deleted) gets the normal 404/403
 * instead of the stored answer. A settlement's correction is the owner's or its recorder's;
 * still being a writing member is enough here, since the key is the caller's own and only
 * a caller the handler let through has an answer stored under it.
 * The two PATCHes also need their resource still there (a fresh change's 404 otherwise): their
 * stored answer is the member or payment as changed, which nobody may read once the member
 * left or the payment was deleted (round 19; a create's replay stays served after its resource
 * was deleted: its retry must learn it was made, docs/architecture.md "HTTP conventions").
 */
export function replayGuards(access: AccessService, resources: ReplayedResources) {
  const mayStill = (action: 'members' | 'reports' | 'settlements' | 'periodLimits'): ReplayGuard => async (c) => {
    // A replay writes nothing: the stored answer of a write made before the budget was archived is still given.
    requireRole(await access.require(c.req.param('budgetId') ?? '', c.get('userId')), action, 'allowed');
  };
  // Any member may copy a budget (the copy is theirs): still being one is the check.
  const mayStillRead: ReplayGuard = async (c) => {
    await access.require(c.req.param('budgetId') ?? '', c.get('userId'));
  };
  /** `guard`, then the resource's own check (after access: a stranger learns nothing of it). */
  const andStill = (guard: ReplayGuard, stillThere: ReplayGuard): ReplayGuard => async (c) => {
    await guard(c);
    await stillThere(c);
  };
  const changeMember = andStill(mayStill('members'), (c) => resources.members.requireStillMember(c.req.param('budgetId') ?? '', c.req.param('userId') ?? ''));
  const changeSettlement = andStill(mayStill('settlements'), async (c) =>
    (await resources.settlements()).requireStill(c.req.param('budgetId') ?? '', c.req.param('settlementId') ?? ''),
  );
  return { addMember: mayStill('members'), invite: mayStill('members'), changeMember, createReport: mayStill('reports'), recordSettlement: mayStill('settlements'), changeSettlement, periodLimits: mayStill('periodLimits'), copyBudget: mayStillRead };
}
