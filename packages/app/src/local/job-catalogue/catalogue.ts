// Generated from the jobs and operator operations the modules register: do not edit.
// Regenerate with `npx tsx packages/app/scripts/job-catalogue.ts`; tests/unit/jobs/job-catalogue.test.ts fails when it is stale.
import type { JobCatalogue } from './derive';

export const JOB_CATALOGUE: JobCatalogue = {
  "jobs": [
    "users-mfa-reseal",
    "budget-reports",
    "budgets-rekey-due-index",
    "budgets-category-ids-backfill",
    "recurring-expenses",
    "recurring-income",
    "recurring-reminders",
    "expenses-fold-day-totals",
    "expenses-review-index-backfill",
    "expenses-payments-index-backfill",
    "expenses-totals-verify",
    "notifications-quiet-summary",
    "webhooks-reseal-secrets"
  ],
  "operations": [
    {
      "name": "users-mfa-reset",
      "options": [
        "email",
        "reason"
      ]
    },
    {
      "name": "users-suspend",
      "options": [
        "email",
        "reason"
      ]
    },
    {
      "name": "users-unsuspend",
      "options": [
        "email",
        "reason"
      ]
    },
    {
      "name": "users-show",
      "options": [
        "email"
      ]
    },
    {
      "name": "expenses-totals-check",
      "options": [
        "budget",
        "month",
        "repair",
        "reason"
      ]
    }
  ]
};
