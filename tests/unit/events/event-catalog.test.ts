import { readFileSync } from 'node:fs';
import { defineEvent } from '@budgeting/platform';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CATALOG_COMMAND, renderEventCatalog } from '../../../packages/app/src/events/catalog';
import { moduleContracts } from '../../../packages/app/src/events/module-contracts';
import { SPEC_EVENTS } from '../../../packages/app/src/events/spec-catalog';
import { SUBSCRIPTIONS } from '@budgeting/app/wiring';

describe('event catalog (docs/events.md)', () => {
  it('is up to date with the contracts and the subscription table', async () => {
    const committed = readFileSync(new URL('../../../docs/events.md', import.meta.url), 'utf8');
    const generated = renderEventCatalog(await moduleContracts(), SUBSCRIPTIONS);
    expect(committed === generated, `docs/events.md is out of date: run \`${CATALOG_COMMAND}\``).toBe(true);
  });

  it('publishes every contract from the module its SPEC entry names (a contract outside SPEC fails)', async () => {
    const contracts = await moduleContracts();
    expect(contracts.length).toBeGreaterThan(0);
    for (const contract of contracts) {
      const spec = SPEC_EVENTS.find((e) => e.type === contract.type);
      expect(spec, `${contract.type} (${contract.module}) is not in the SPEC event catalog`).toBeDefined();
      expect(contract.module, contract.type).toBe(spec!.publisher);
      expect(contract.source).toBe(`budgeting.${contract.module}`);
    }
  });

  describe('the generator (fixture contracts)', () => {
    const userDeleted = defineEvent('users', 'user.deleted', 1, z.object({ userId: z.string().min(1) }));
    const custom = defineEvent('expenses', 'expense.archived', 2, z.object({ expenseId: z.string(), amount: z.number().int() }));
    const doc = renderEventCatalog(
      [userDeleted, custom],
      [
        { name: 'budgets-on-users', module: 'budgets', source: 'budgeting.users', detailTypes: ['user.deleted'] },
        { name: 'expenses-on-budgets', module: 'expenses', source: 'budgeting.budgets', detailTypes: ['budget.deleted'] },
      ],
    );

    it('lists all 35 SPEC events, marking those without a contract as not yet published', () => {
      expect(SPEC_EVENTS).toHaveLength(35);
      for (const { type } of SPEC_EVENTS) expect(doc).toMatch(new RegExp(`^\\| .*\`${type.replace('.', '\\.')}\``, 'm'));
      expect(doc).toContain('| `budget.deleted` | - | budgets (`budgeting.budgets`) | `expenses-on-budgets` (expenses) | **not yet published** (no contract yet) |');
      expect(doc).toContain('| [`user.deleted`](#userdeleted) | 1 | users (`budgeting.users`) | `budgets-on-users` (budgets) | defined |');
    });

    it('adds events outside the SPEC catalog and shows each payload as JSON Schema', () => {
      expect(doc).toContain('| [`expense.archived`](#expensearchived) | 2 | expenses (`budgeting.expenses`) | - | defined (not in the SPEC catalog) |');
      const section = doc.slice(doc.indexOf('### user.deleted'));
      const schema = JSON.parse(section.slice(section.indexOf('```json') + 7, section.indexOf('```', section.indexOf('```json') + 7)));
      expect(schema).toMatchObject({
        type: 'object',
        properties: { userId: { type: 'string', minLength: 1 } },
        required: ['userId'],
      });
      expect(section).toContain('- subscribers: `budgets-on-users` (budgets)');
    });
  });
});
