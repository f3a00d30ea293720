import { isolatedBidi } from './text';

/**
 * The fixed words of the texts a reader gets in their locale (a user's profile `locale`): the
 * budgets module's period reports (the report email, the report page and the list of reports)
 * and the notifications module's budget alerts and pace alerts (email and push), bill reminders, finished
 * imports, merchant renames and import undos (push and in-app text), comments and data exports (push), the
 * expenses module's calendar feed (its events' titles and descriptions, an archived budget's note), and
 * the account and sharing emails: the users module's (data export ready, password reset, email
 * change, two-factor reset by support, new sign-in, security notices), the budgets module's invitation and the
 * webhooks module's webhook disabled, and the users module's pages of an unsubscribe link opened in a
 * browser. The amounts and dates in them come from
 * locale-format.ts; these are the words around them.
 *
 * - English (`en`) is the texts as they were before any locale existed, verbatim: without a
 *   locale every text is byte for byte what it was. German, French and Spanish beside it.
 * - The language is the locale's language subtag ("de-AT" -> de, "fr-CA" -> fr, "es-419" -> es);
 *   any other language (or no locale) gets English.
 * - A message is a template with named placeholders (`{budget}`, `{start}`), filled in one pass:
 *   each language puts them where its word order wants them, and a filled-in value (a budget
 *   name with braces in it) is never read as a placeholder. No ICU syntax, no concatenation of
 *   partial sentences (a list of counts is a template of its own, '{added}, {duplicates}, {errors}').
 * - Count-dependent words ("1 duplicate" / "20 duplicates") come as two keys, `<name>.one` and
 *   `<name>.other`, chosen by `plural(n)`: the catalog language's plural rules
 *   (Intl.PluralRules), so French says "0 erreur" and English "0 errors" (English: `.one` for
 *   exactly 1, the texts as before). A rule's other categories (French and Spanish "many" for
 *   millions) take `.other`, whose words are right for them. The count itself is formatted
 *   in the reader's locale (locale-format.ts localeCount).
 * - Typed: every language is `satisfies Messages` (a missing or extra key is a compile error),
 *   and `fill` only takes the placeholders the English template names (a missing or unknown
 *   one is a compile error too). locale-messages.test.ts checks the same at run time, plus that
 *   every language's template has the same set of placeholders as the English one.
 * - Typography: French puts a no-break space (U+00A0, written \u00A0) before ":" and inside
 *   « », and German, French and Spanish one between a percentage and "%", as Intl does.
 * - Plain text: the templates hold no markup character (`<`, `>`, `&`), so an HTML page may put
 *   one into its markup as it is, with its placeholders' values escaped (or already markup).
 */
const en = {
  /** The period, e.g. a link to a report in the list of reports. */
  'period': '{start} to {end}',

  // The report email.
  'report.email.subject': '{budget}: your report for {start} to {end}',
  /** The text part's first line without a locale (the amounts are plain figures). */
  'report.email.heading': '{budget}: report of {start} to {end} (amounts in {currency})',
  /** With a locale: the amounts carry their currency sign, so no note about it. */
  'report.email.headingLocalized': '{budget}: report of {start} to {end}',
  /** The amount column's heading in the text part's summary table, with a locale (without one: the currency code). */
  'report.email.amount': 'Amount',

  // The report page (and the email's HTML part) and the email's text part.
  'report.title': '{budget}: {start} to {end}',
  'report.lead': 'Report of {start} to {end}, amounts in {currency}.',
  /** With a locale: the amounts carry their currency sign, so no note about it (as 'report.email.headingLocalized'). */
  'report.leadLocalized': 'Report of {start} to {end}.',
  'report.limit': 'Limit',
  'report.carriedOver': 'Carried over',
  'report.available': 'Available',
  'report.spent': 'Spent',
  'report.remaining': 'Remaining',
  /** A monthly report's income and savings rate (only when the month had income: packages/budgets/docs/reports.md "Reports"). */
  'report.income': 'Income',
  'report.savingsRate': 'Savings rate',
  'report.left': 'Left',
  'report.category': 'Category',
  'report.group': 'Group',
  'report.merchant': 'Merchant',
  'report.expenses': 'Expenses',
  'report.uncategorized': 'Uncategorized',
  'report.byCategory': 'Spend by category',
  'report.byGroup': 'Spend by group',
  'report.cumulative': 'Cumulative spend',
  'report.topMerchants': 'Top merchants',
  /** A rollover line's limit with what it carried in. */
  'report.limitCarried': '{limit} ({carried} carried over)',
  /**
   * A hidden category's name in its row (packages/budgets/docs/categories.md "Category notes and hidden categories"):
   * the name, then the mark (fr and es agree with "la catégorie" / "la categoría").
   */
  'report.hidden': '{name} (hidden)',
  'report.previous': 'Previous period ({start} to {end}): {spent} spent.',
  'report.generated': 'Generated {at}.',

  // A category's savings target (one line: goal · pace · status; an undated one: balance · status).
  'target.goal': 'Target {amount} by {date}',
  'target.balance': 'Target {amount}',
  'target.perPeriod': '{amount} a period',
  'target.short': '{amount} short',
  'target.funded': 'Funded',
  'target.onTrack': 'On track',
  'target.behind': 'Behind',

  // The report page's charts.
  'chart.spentOf': '{spent} of {limit}',
  'chart.noCategories': 'No categories.',
  'chart.spentInCategory': 'spent in the category',
  'chart.overLimit': "spent more than the category's limit (with rollover: its available)",
  'chart.marker': 'dashed marker: the category\'s limit, or with rollover its available (limit + carried over) ("X of Y": spent of it)',
  'chart.cumulativeTitle': 'Cumulative spend against the limit',
  'chart.total': 'total {amount}',
  'chart.spentSinceStart': 'spent since the start of the period, day by day (total {amount})',
  'chart.budgetLimit': "the budget's limit ({amount})",

  // The list of a budget's reports.
  'reports.title': '{budget}: reports',
  'reports.spent': '{spent} spent',
  'reports.none': 'No reports yet.',
  'reports.older': 'Older reports',
  'reports.budget': 'Budget',

  // Budget alerts (email subject and body, push title and body).
  'alert.title.budget': '"{budget}": {threshold}% of the limit reached',
  'alert.title.category': '{category} in "{budget}": {threshold}% of the limit reached',
  /** A category whose name is not known (any more). */
  'alert.someCategory': 'A category',
  /** `{limit}` carries the currency code without a locale ("1500.00 EUR"), the sign with one. */
  'alert.body': '{spent} of {limit} spent ({start} to {end}).',

  // Pace alerts (budget.overspend_projected: email subject and body, push title and body; the body is the in-app `message`).
  'pace.title.budget': '"{budget}": on pace to go over the limit',
  'pace.title.category': '{category} in "{budget}": on pace to go over the limit',
  /** `{name}`: the category's, or the budget's for its total; `{limit}` carries the currency code without a locale, the sign with one. */
  'pace.body': '{name}: at this pace {projected} of {limit} by {end}',

  // Bill reminders (push title and body; the body is the in-app `message`).
  'bill.title': '{what} is due tomorrow',
  /** `{amount}` carries the currency code without a locale ("1200.00 EUR"), the sign with one. */
  'bill.body': '{what}: {amount} due tomorrow ({date}) in {budget}.',
  /** A recurring expense with neither merchant nor description. */
  'bill.someExpense': 'A recurring expense',

  // The calendar feed of a budget's upcoming bills (packages/expenses/docs/recurring.md "Calendar feed"): its events' text, in the feed owner's locale.
  /** An event's title. `{amount}` as a bill's (the currency code without a locale, the sign with one). */
  'calendar.summary': '{what}: {amount}',
  /** An installment plan's payment: which one of how many. */
  'calendar.summaryPayment': '{what} ({number}/{count}): {amount}',
  /** A recurring expense with neither merchant nor description. */
  'calendar.someExpense': 'Recurring expense',
  'calendar.category': 'Category: {category}',
  'calendar.split': 'Split over {parts} parts',
  /** The amount in the foreign currency it is paid in. */
  'calendar.foreign': 'Paid as {amount}',
  'calendar.notRecorded': 'A recurring expense of this budget, not recorded yet.',
  /** The calendar's note (X-WR-CALDESC) when its budget is archived and it lists no bill. */
  'calendar.archived': 'This budget is archived: its recurring expenses are not recorded, so no bill is shown. Unarchive it to see them again.',

  // A paycheck a recurring income recorded (opt-in push title and body; the body is the in-app `message`).
  'income.title': 'Income recorded in {budget}',
  /** `{what}`: the entry's description, else income.someIncome; `{amount}` as a bill's (the currency code without a locale). */
  'income.body': '{what} {amount} from {source} recorded ({date}).',
  /** An entry without a source. */
  'income.body.noSource': '{what} {amount} recorded ({date}).',
  'income.someIncome': 'Income',

  // A finished import (push title and body; the body is the in-app `message`).
  'import.title.finished': 'Your import finished',
  'import.title.failed': 'Your import failed',
  'import.finished': 'Your import finished: {counts}.',
  'import.finishedInto': 'Your import into {budget} finished: {counts}.',
  /** `{reason}`: the failure's first clause in English; in another language the words of its code ('import.reason.*'), else 'import.seeDetails'. */
  'import.failed': 'Your import failed: {reason}.',
  'import.failedInto': 'Your import into {budget} failed: {reason}.',
  'import.seeDetails': 'see the import for details',
  /**
   * A failed import's reason by its code (the event's `failureCode`), in place of 'import.seeDetails'
   * in another language than English (English keeps the stored reason's first clause, the text
   * before codes; these English words say what each code means).
   */
  'import.reason.stalled': 'the import stalled',
  'import.reason.budgetDeleted': 'the budget was deleted while importing',
  'import.reason.budgetArchived': 'the budget was archived while importing',
  'import.reason.partFailed': 'a part of the file failed every attempt',
  'import.reason.notStarted': 'the import could not be started',
  'import.counts': '{added}, {duplicates}, {errors}',
  /** Only when some row matched a recorded bill. */
  'import.countsMatched': '{added}, {matched}, {duplicates}, {errors}',
  // Count-dependent words: `.one` or `.other` by the language's plural rules (LocaleMessages.plural).
  'import.added.one': '{count} added',
  'import.added.other': '{count} added',
  /**
   * In place of 'import.added.*' when the import wrote income entries (`credits=income`,
   * `incomeImported` > 0): the expenses and the income entries, each with its own plural form.
   */
  'import.addedWithIncome': '{expenses} and {income} added',
  'import.expenses.one': '{count} expense',
  'import.expenses.other': '{count} expenses',
  'import.income.one': '{count} income entry',
  'import.income.other': '{count} income entries',
  'import.matched.one': '{count} bill already recorded',
  'import.matched.other': '{count} bills already recorded',
  'import.duplicates.one': '{count} duplicate',
  'import.duplicates.other': '{count} duplicates',
  'import.errors.one': '{count} error',
  'import.errors.other': '{count} errors',

  // A finished merchant rename (push title and body; the body is the in-app `message`).
  'rename.title.finished': 'Your merchant rename finished',
  'rename.title.failed': 'Your merchant rename failed',
  'rename.finished': 'Your rename to "{to}" finished: {renamed}.',
  'rename.finishedIn': 'Your rename to "{to}" in {budget} finished: {renamed}.',
  /** `{reason}`: as an import's. */
  'rename.failed': 'Your rename to "{to}" failed: {reason}.',
  'rename.failedIn': 'Your rename to "{to}" in {budget} failed: {reason}.',
  'rename.seeDetails': 'see the rename for details',
  /** A failed rename's reason by its code, as an import's. */
  'rename.reason.stalled': 'the rename stalled',
  'rename.reason.budgetDeleted': 'the budget was deleted while renaming',
  'rename.reason.budgetArchived': 'the budget was archived while renaming',
  'rename.reason.partFailed': "a page of the budget's expenses failed every attempt",
  'rename.reason.notStarted': 'the rename could not be started',
  'rename.renamed.one': '{count} expense renamed',
  'rename.renamed.other': '{count} expenses renamed',

  // A run of an import's undo ended (push title and body; the body is the in-app `message`).
  /** `{reason}`: as an import's ('undo.reason.*' the words of the undo's codes, which add expired and import-undo-unavailable). */
  'undo.title.finished': 'Your undo of an import finished',
  'undo.title.failed': 'Your undo of an import failed',
  'undo.finished': 'Your undo of an import finished: {counts}.',
  'undo.finishedIn': 'Your undo of an import into {budget} finished: {counts}.',
  'undo.failed': 'Your undo of an import failed: {reason}.',
  'undo.failedIn': 'Your undo of an import into {budget} failed: {reason}.',
  'undo.seeDetails': 'see the import for details',
  'undo.reason.stalled': 'the undo stalled',
  'undo.reason.budgetArchived': 'the budget was archived while undoing',
  'undo.reason.partFailed': 'a part of the import failed every attempt',
  'undo.reason.notStarted': 'the undo could not be started',
  'undo.reason.expired': 'a part of the import had expired',
  'undo.reason.unavailable': 'the import was recorded before imports could be undone',
  'undo.counts': '{removed}, {kept}',
  'undo.countsGone': '{removed}, {kept}, {gone}',
  'undo.removed.one': '{count} expense removed',
  'undo.removed.other': '{count} expenses removed',
  'undo.kept.one': '{count} kept (changed since)',
  'undo.kept.other': '{count} kept (changed since)',
  'undo.gone.one': '{count} already deleted',
  'undo.gone.other': '{count} already deleted',

  // A comment on an expense (push title; the body is the comment's own words).
  'comment.title': 'New comment on an expense',

  // The quiet-hours summary push (notifications' summary-message.ts): what the quiet hours held, still unread.
  'summary.title': 'While you were away',
  /** `{list}`: the first two held notifications in a few words each and, for the rest, 'summary.more', as the locale lists them (Intl.ListFormat of `lang`: en-GB without the serial comma). */
  'summary.body.one': '{count} notification: {list}',
  'summary.body.other': '{count} notifications: {list}',
  'summary.more.one': '{count} more',
  'summary.more.other': '{count} more',
  /** `{name}`: the category's name for a category alert, else the budget's. */
  'summary.alert': '{name} is at {threshold}% of its limit',
  'summary.pace': '{name} is on pace to go over its limit',
  /** Not "tomorrow": the summary comes hours after the reminder, maybe on the day itself. */
  'summary.bill': '{what} is due on {date}',

  // A data export (push title and body).
  'export.ready.title': 'Your data export is ready',
  'export.ready.body': 'Open the app to download it. It is kept for 7 days.',
  'export.failed.title': 'Your data export failed',
  'export.failed.body': 'Open the app to start a new one.',

  // The users module's email that a data export is ready (subject, then the text part's and the HTML part's three paragraphs).
  'export.email.subject': 'Your data export is ready',
  'export.email.ready': 'Your budgeting data export is ready.',
  /** `days`: what is left of the export's 7 days when the mail goes (the whole days, from 2 on: a mail sent late states no more than is left). */
  'export.email.download': 'Sign in to the app to download it (export {exportId}). It is kept for {days} days.',
  /** Less than 2 days left: the whole hours (at least 1; an expired export is not mailed). */
  'export.email.downloadHours.one': 'Sign in to the app to download it (export {exportId}). It is kept for {hours} more hour.',
  'export.email.downloadHours.other': 'Sign in to the app to download it (export {exportId}). It is kept for {hours} more hours.',
  'export.email.notYou': 'If you did not ask for it, change your password and end your other sessions.',

  // ---- Account and sharing emails (mail-locales): password reset, email change, two-factor reset by support,
  // ---- sign-in alert (users), budget invitation (budgets), webhook disabled (webhooks). Subjects, then paragraphs.
  /** The password reset mail. */
  'reset.email.subject': 'Reset your password',
  'reset.email.asked': 'Someone (hopefully you) asked to reset the password of your budgeting account.',
  /** With a reset link (text part): this line, the link, an empty line, 'reset.email.orCode', the code. */
  'reset.email.openLink': 'To choose a new password, open this link:',
  'reset.email.orCode': 'or enter this reset code in the app:',
  /** With a reset link (HTML part): `{link}` is the link whose words are 'reset.email.linkLabel'. */
  'reset.email.linkHtml': 'To choose a new password, {link}, or enter this reset code in the app:',
  'reset.email.linkLabel': 'open this link',
  /** Without a reset link. */
  'reset.email.codeOnly': 'To choose a new password, enter this reset code in the app:',
  'reset.email.expires': 'The code works once and expires in {minutes} minutes. Choosing a new password signs you out everywhere.',
  'reset.email.notYou': 'If you did not ask for this, ignore this mail: your password stays as it is.',
  /** The email change: the code to the new address. */
  'emailChange.code.subject': 'Confirm your new email address',
  'emailChange.code.asked': 'Someone (hopefully you) asked to use this address as the email of their budgeting account.',
  'emailChange.code.enter': 'To confirm, enter this code in the app while signed in:',
  'emailChange.code.expires': 'The code works once and expires in {minutes} minutes. Until then the account keeps its current email.',
  'emailChange.code.notYou': 'If you did not ask for this, ignore this mail: nothing changes.',
  /** The email change: to a new address another account already has. */
  'emailChange.inUse.subject': 'Your email address was not changed',
  'emailChange.inUse.exists': 'Someone asked to use this address as the email of a budgeting account, but an account with this address already exists, so nothing was changed.',
  'emailChange.inUse.ifYou': 'If that was you, sign in with this address instead, or choose another address for the other account.',
  'emailChange.inUse.notYou': 'If you did not ask for this, ignore this mail: your account is unaffected.',
  /** The email change: the notice to the old address. */
  'emailChange.changed.subject': 'Your email address was changed',
  'emailChange.changed.body': 'The email of your budgeting account was changed to {email}. From now on, sign in with that address; mail about the account goes there.',
  'emailChange.changed.notYou': 'If this was not you, someone may know your password: reset it right away with your new address if you can still reach it, and contact support.',
  /** Support turned two-factor sign-in off; `{at}`: "YYYY-MM-DD HH:MM" (UTC). */
  'mfaReset.email.subject': 'Two-factor sign-in was turned off by support',
  'mfaReset.email.done': 'Two-factor sign-in was turned off for your budgeting account by support on {when}, at a request made to our support team.',
  'mfaReset.email.signedOut': 'Every device was signed out and every personal access token stopped working. Sign in with your password, then turn two-factor sign-in on again with your authenticator app.',
  'mfaReset.email.notYou': 'If this was not you, someone may be trying to take over your account: reset your password right away (Forgot password, with this address) and contact support.',
  /** A sign-in from a new place; `{when}`: the time in the profile's zone and locale. */
  'signIn.email.subject': 'New sign-in to your budgeting account',
  'signIn.email.intro': 'Your budgeting account was just signed in to from a device or network it had not been signed in from before.',
  'signIn.email.when': 'When: {when}',
  'signIn.email.device': 'Device: {device}',
  /**
   * The device in 'signIn.email.device', from its parts (users domain/sign-in-place.ts): `{family}`
   * a browser or product name and `{os}` an OS name, both as they are (never translated); a
   * product without an OS is its name alone. English must stay the words the place hash is made
   * of ("Chrome on Windows", "an app on Android", "an unknown device").
   */
  'signIn.device.onOs': '{family} on {os}',
  'signIn.device.app': 'an app',
  'signIn.device.appOnOs': 'an app on {os}',
  'signIn.device.unknownAppOnOs': 'an unknown app on {os}',
  'signIn.device.unknown': 'an unknown device',
  'signIn.email.network': 'Network: {network} (approximate)',
  'signIn.email.ifYou': 'If this was you, there is nothing to do.',
  'signIn.email.notYou': 'If it was not you, change your password right away: that signs out every device and ends every personal access token. You can review where your account is signed in under Sessions in the app (GET /v1/me/sessions) and sign out any session you do not recognise.',
  'security.email.subject.password-changed': 'Your budgeting account password was changed',
  'security.email.subject.password-reset': 'Your budgeting account password was reset',
  'security.email.subject.two-factor-on': 'Two-factor sign-in was turned on',
  'security.email.subject.two-factor-off': 'Two-factor sign-in was turned off',
  'security.email.subject.recovery-codes-renewed': 'New two-factor recovery codes were made',
  'security.email.subject.personal-token-created': 'A personal access token was created',
  'security.email.done.password-changed': 'The password of your budgeting account was changed on {when}. Every other device was signed out and every personal access token stopped working.',
  'security.email.done.password-reset': 'The password of your budgeting account was reset with a code mailed to this address on {when}. Every device was signed out and every personal access token stopped working.',
  'security.email.done.two-factor-on': 'Two-factor sign-in was turned on for your budgeting account on {when}: signing in now takes a code from an authenticator app as well as the password.',
  'security.email.done.two-factor-off': 'Two-factor sign-in was turned off for your budgeting account on {when}: signing in now takes the password alone.',
  'security.email.done.recovery-codes-renewed': 'New two-factor recovery codes were made for your budgeting account on {when}. The earlier codes no longer work.',
  'security.email.done.personal-token-created': 'A personal access token named “{name}” was created for your budgeting account on {when}. It reaches your budgets without a password until it expires or is revoked.',
  'security.email.ifYou': 'If this was you, there is nothing to do.',
  'security.email.notYou': 'If this was not you, someone may have access to your account: reset your password right away (Forgot password, with this address) and contact support.',
  'security.email.subject.webhook-created': 'A webhook was added to your account',
  'security.email.subject.calendar-feed-created': 'A calendar feed was created',
  'security.email.done.webhook-created': 'A webhook sending to {host} was added to your budgeting account on {when}. It receives your budgets\' changes (expenses with their amounts and merchants) until it is deleted.',
  'security.email.done.calendar-feed-created': 'A calendar feed of one of your budgets was created for your budgeting account on {when}. Anyone with its secret address sees the budget\'s upcoming bills until it is revoked.',
  'security.email.notYou.credential': 'If this was not you, someone may have access to your account: delete it right away ({remove}), change your password and contact support.',
  /** A budget invitation; `{who}`: the inviter's name or 'invitation.email.someone', `{role}`: 'invitation.email.role.*'. */
  'invitation.email.subject': 'Join the budget "{budget}"',
  'invitation.email.invites': '{who} invites you to the budget "{budget}" as {role}.',
  'invitation.email.someone': 'The owner of a budget',
  'invitation.email.role.editor': 'an editor (you can record expenses)',
  'invitation.email.role.viewer': 'a viewer (you can see it)',
  /** With a link (text part): this line, the link, an empty line, 'invitation.email.orCode', the code. */
  'invitation.email.openLink': 'To join, open this link and sign in (or create an account, with any email):',
  'invitation.email.orCode': 'or enter this invitation code in the budgeting app:',
  /** With a link (HTML part): `{link}` is the link whose words are 'invitation.email.linkLabel'. */
  'invitation.email.linkHtml': 'To join, {link} and sign in (or create an account, with any email), or enter this invitation code in the budgeting app:',
  'invitation.email.linkLabel': 'open this link',
  /** Without a link. */
  'invitation.email.codeOnly': 'To join, sign in to the budgeting app (or create an account, with any email) and enter this invitation code:',
  'invitation.email.expires': 'The code works once and expires in {days} days. Anyone who has it can join, so do not pass it on.',
  /** A mail sent late, less than 2 days before the code expires: the whole hours left (never fewer than 1: under an hour nothing is sent). */
  'invitation.email.expiresHours.one': 'The code works once and expires in {hours} hour. Anyone who has it can join, so do not pass it on.',
  'invitation.email.expiresHours.other': 'The code works once and expires in {hours} hours. Anyone who has it can join, so do not pass it on.',
  'invitation.email.notExpected': 'If you did not expect this, ignore this mail.',
  /**
   * A webhook disabled after 24 h of failures. The API calls are values (`{enable}`, `{redeliver}`,
   * `{changes}`: their path templates' braces are not placeholders); a "\n" is a line of the text
   * part and a paragraph of the HTML part (English keeps its old line breaks).
   */
  'webhook.email.subject': 'Webhook disabled: {url}',
  /** `{last}`: the last attempt's outcome ("HTTP 500", or the network error as recorded). */
  'webhook.email.disabled': 'Your webhook {url} ({id}) was disabled: Every attempt failed for 24 hours (last: {last}).',
  'webhook.email.disabledGone': 'Your webhook {url} ({id}) was disabled: its endpoint answered 410 Gone, which asks for no more deliveries.',
  'webhook.email.howToEnable': 'Nothing more is sent to it, and events are not recorded for it while it is disabled. Once the endpoint works again,\nenable it with {enable}; a failed delivery can be sent again with\n{redeliver}.',
  'webhook.email.repair': "Each event carries the budget's serverKnowledge: one {changes} repairs what you missed.",
  /** In `{changes}`: GET .../changes?since=<this>. */
  'webhook.email.lastProcessed': 'the last one you processed',
  // The page of an optional mail's unsubscribe link opened in a browser (users routes/unsubscribe.*): asks, then confirms.
  'unsubscribe.page.title': 'Unsubscribe',
  'unsubscribe.page.reports': "Stop the emails with your budgets' period reports? Nothing changes until you press the button.",
  'unsubscribe.page.budget-alerts': 'Stop the budget alert emails (a budget or category reaching a threshold of its limit, or on pace to go over it)? Nothing changes until you press the button.',
  'unsubscribe.page.button': 'Unsubscribe',
  'unsubscribe.done.title': 'Unsubscribed',
  'unsubscribe.done.reports': "You will get no more emails with your budgets' period reports.",
  'unsubscribe.done.budget-alerts': 'You will get no more budget alert emails.',
  'unsubscribe.done.again': "You can turn them on again in the app's notification settings.",
  'unsubscribe.invalid.title': 'Link not valid',
  'unsubscribe.invalid.body': "This unsubscribe link is not valid. Open the link from the email again, or turn the emails off in the app's notification settings.",
  // ---- end of the account and sharing emails
} as const;

export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, string>;

const de = {
  'period': '{start} bis {end}',
  'report.email.subject': '{budget}: Ihr Bericht vom {start} bis {end}',
  'report.email.heading': '{budget}: Bericht vom {start} bis {end} (Beträge in {currency})',
  'report.email.headingLocalized': '{budget}: Bericht vom {start} bis {end}',
  'report.email.amount': 'Betrag',
  'report.title': '{budget}: {start} bis {end}',
  'report.lead': 'Bericht vom {start} bis {end}, Beträge in {currency}.',
  'report.leadLocalized': 'Bericht vom {start} bis {end}.',
  'report.limit': 'Limit',
  'report.carriedOver': 'Übertrag',
  'report.available': 'Verfügbar',
  'report.spent': 'Ausgegeben',
  'report.remaining': 'Verbleibend',
  'report.income': 'Einnahmen',
  'report.savingsRate': 'Sparquote',
  'report.left': 'Übrig',
  'report.category': 'Kategorie',
  'report.group': 'Gruppe',
  'report.merchant': 'Händler',
  'report.expenses': 'Ausgaben',
  'report.uncategorized': 'Ohne Kategorie',
  'report.byCategory': 'Ausgaben nach Kategorie',
  'report.byGroup': 'Ausgaben nach Gruppe',
  'report.cumulative': 'Kumulierte Ausgaben',
  'report.topMerchants': 'Top-Händler',
  'report.limitCarried': '{limit} ({carried} übertragen)',
  'report.hidden': '{name} (ausgeblendet)',
  'report.previous': 'Vorheriger Zeitraum ({start} bis {end}): {spent} ausgegeben.',
  'report.generated': 'Erstellt am {at}.',
  'target.goal': 'Ziel {amount} bis {date}',
  'target.balance': 'Ziel {amount}',
  'target.perPeriod': '{amount} pro Zeitraum',
  'target.short': '{amount} fehlen',
  'target.funded': 'Erreicht',
  'target.onTrack': 'Im Plan',
  'target.behind': 'Im Rückstand',
  'chart.spentOf': '{spent} von {limit}',
  'chart.noCategories': 'Keine Kategorien.',
  'chart.spentInCategory': 'in der Kategorie ausgegeben',
  'chart.overLimit': 'mehr ausgegeben als das Limit der Kategorie (mit Übertrag: ihr verfügbarer Betrag)',
  'chart.marker': 'gestrichelte Markierung: das Limit der Kategorie, mit Übertrag ihr verfügbarer Betrag (Limit + Übertrag) („X von Y“: davon ausgegeben)',
  'chart.cumulativeTitle': 'Kumulierte Ausgaben im Vergleich zum Limit',
  'chart.total': 'gesamt {amount}',
  'chart.spentSinceStart': 'seit Beginn des Zeitraums ausgegeben, Tag für Tag (gesamt {amount})',
  'chart.budgetLimit': 'das Limit des Budgets ({amount})',
  'reports.title': '{budget}: Berichte',
  'reports.spent': '{spent} ausgegeben',
  'reports.none': 'Noch keine Berichte.',
  'reports.older': 'Ältere Berichte',
  'reports.budget': 'Budget',
  'alert.title.budget': '„{budget}“: {threshold}\u00A0% des Limits erreicht',
  'alert.title.category': '{category} in „{budget}“: {threshold}\u00A0% des Limits erreicht',
  'alert.someCategory': 'Eine Kategorie',
  'alert.body': '{spent} von {limit} ausgegeben ({start} bis {end}).',
  'pace.title.budget': '„{budget}“: auf dem Weg, das Limit zu überschreiten',
  'pace.title.category': '{category} in „{budget}“: auf dem Weg, das Limit zu überschreiten',
  'pace.body': '{name}: bei diesem Tempo {projected} von {limit} bis {end}',
  'bill.title': '{what} ist morgen fällig',
  'bill.body': '{what}: {amount} morgen fällig ({date}) in {budget}.',
  'bill.someExpense': 'Eine wiederkehrende Ausgabe',
  'calendar.summary': '{what}: {amount}',
  'calendar.summaryPayment': '{what} ({number}/{count}): {amount}',
  'calendar.someExpense': 'Wiederkehrende Ausgabe',
  'calendar.category': 'Kategorie: {category}',
  'calendar.split': 'Aufgeteilt auf {parts} Teile',
  'calendar.foreign': 'Bezahlt als {amount}',
  'calendar.notRecorded': 'Eine wiederkehrende Ausgabe dieses Budgets, noch nicht erfasst.',
  'calendar.archived': 'Dieses Budget ist archiviert: Seine wiederkehrenden Ausgaben werden nicht erfasst, daher wird keine Rechnung angezeigt. Hole es aus dem Archiv, um sie wieder zu sehen.',
  'income.title': 'Einnahme in {budget} verbucht',
  'income.body': '{what} {amount} von {source} verbucht ({date}).',
  'income.body.noSource': '{what} {amount} verbucht ({date}).',
  'income.someIncome': 'Einnahme',
  'import.title.finished': 'Ihr Import ist abgeschlossen',
  'import.title.failed': 'Ihr Import ist fehlgeschlagen',
  'import.finished': 'Ihr Import ist abgeschlossen: {counts}.',
  'import.finishedInto': 'Ihr Import in {budget} ist abgeschlossen: {counts}.',
  'import.failed': 'Ihr Import ist fehlgeschlagen: {reason}.',
  'import.failedInto': 'Ihr Import in {budget} ist fehlgeschlagen: {reason}.',
  'import.seeDetails': 'Details finden Sie im Import',
  'import.reason.stalled': 'er kam zu lange nicht voran',
  'import.reason.budgetDeleted': 'das Budget wurde während des Imports gelöscht',
  'import.reason.budgetArchived': 'das Budget wurde während des Imports archiviert',
  'import.reason.partFailed': 'ein Teil der Datei ist bei jedem Versuch fehlgeschlagen',
  'import.reason.notStarted': 'er konnte nicht gestartet werden',
  'import.counts': '{added}, {duplicates}, {errors}',
  'import.countsMatched': '{added}, {matched}, {duplicates}, {errors}',
  'import.added.one': '{count} hinzugefügt',
  'import.added.other': '{count} hinzugefügt',
  'import.addedWithIncome': '{expenses} und {income} hinzugefügt',
  'import.expenses.one': '{count} Ausgabe',
  'import.expenses.other': '{count} Ausgaben',
  'import.income.one': '{count} Einnahme',
  'import.income.other': '{count} Einnahmen',
  'import.matched.one': '{count} Rechnung bereits erfasst',
  'import.matched.other': '{count} Rechnungen bereits erfasst',
  'import.duplicates.one': '{count} Duplikat',
  'import.duplicates.other': '{count} Duplikate',
  'import.errors.one': '{count} Fehler',
  'import.errors.other': '{count} Fehler',
  'rename.title.finished': 'Ihre Händler-Umbenennung ist abgeschlossen',
  'rename.title.failed': 'Ihre Händler-Umbenennung ist fehlgeschlagen',
  'rename.finished': 'Ihre Umbenennung in „{to}“ ist abgeschlossen: {renamed}.',
  'rename.finishedIn': 'Ihre Umbenennung in „{to}“ im Budget {budget} ist abgeschlossen: {renamed}.',
  'rename.failed': 'Ihre Umbenennung in „{to}“ ist fehlgeschlagen: {reason}.',
  'rename.failedIn': 'Ihre Umbenennung in „{to}“ im Budget {budget} ist fehlgeschlagen: {reason}.',
  'rename.seeDetails': 'Details finden Sie in der Umbenennung',
  'rename.reason.stalled': 'sie kam zu lange nicht voran',
  'rename.reason.budgetDeleted': 'das Budget wurde während der Umbenennung gelöscht',
  'rename.reason.budgetArchived': 'das Budget wurde während der Umbenennung archiviert',
  'rename.reason.partFailed': 'eine Seite der Ausgaben des Budgets ist bei jedem Versuch fehlgeschlagen',
  'rename.reason.notStarted': 'sie konnte nicht gestartet werden',
  'rename.renamed.one': '{count} Ausgabe umbenannt',
  'rename.renamed.other': '{count} Ausgaben umbenannt',
  'undo.title.finished': 'Das Rückgängigmachen Ihres Imports ist abgeschlossen',
  'undo.title.failed': 'Das Rückgängigmachen Ihres Imports ist fehlgeschlagen',
  'undo.finished': 'Das Rückgängigmachen Ihres Imports ist abgeschlossen: {counts}.',
  'undo.finishedIn': 'Das Rückgängigmachen Ihres Imports in {budget} ist abgeschlossen: {counts}.',
  'undo.failed': 'Das Rückgängigmachen Ihres Imports ist fehlgeschlagen: {reason}.',
  'undo.failedIn': 'Das Rückgängigmachen Ihres Imports in {budget} ist fehlgeschlagen: {reason}.',
  'undo.seeDetails': 'Details finden Sie im Import',
  'undo.reason.stalled': 'es kam zu lange nicht voran',
  'undo.reason.budgetArchived': 'das Budget wurde währenddessen archiviert',
  'undo.reason.partFailed': 'ein Teil des Imports ist bei jedem Versuch fehlgeschlagen',
  'undo.reason.notStarted': 'es konnte nicht gestartet werden',
  'undo.reason.expired': 'ein Teil des Imports war bereits abgelaufen',
  'undo.reason.unavailable': 'der Import wurde erfasst, bevor Importe rückgängig gemacht werden konnten',
  'undo.counts': '{removed}, {kept}',
  'undo.countsGone': '{removed}, {kept}, {gone}',
  'undo.removed.one': '{count} Ausgabe entfernt',
  'undo.removed.other': '{count} Ausgaben entfernt',
  'undo.kept.one': '{count} behalten (seitdem geändert)',
  'undo.kept.other': '{count} behalten (seitdem geändert)',
  'undo.gone.one': '{count} bereits gelöscht',
  'undo.gone.other': '{count} bereits gelöscht',
  'comment.title': 'Neuer Kommentar zu einer Ausgabe',

  'summary.title': 'Während Sie weg waren',
  'summary.body.one': '{count} Benachrichtigung: {list}',
  'summary.body.other': '{count} Benachrichtigungen: {list}',
  'summary.more.one': '{count} weitere',
  'summary.more.other': '{count} weitere',
  'summary.alert': '{name} hat {threshold}\u00A0% des Limits erreicht',
  'summary.pace': '{name} ist auf dem Weg, das Limit zu überschreiten',
  'summary.bill': '{what} ist am {date} fällig',
  'export.ready.title': 'Ihr Datenexport ist bereit',
  'export.ready.body': 'Öffnen Sie die App, um ihn herunterzuladen. Er wird 7 Tage lang aufbewahrt.',
  'export.failed.title': 'Ihr Datenexport ist fehlgeschlagen',
  'export.failed.body': 'Öffnen Sie die App, um einen neuen zu starten.',
  'export.email.subject': 'Ihr Datenexport ist bereit',
  'export.email.ready': 'Ihr Datenexport aus der Budget-App ist bereit.',
  'export.email.download': 'Melden Sie sich in der App an, um ihn herunterzuladen (Export {exportId}). Er wird {days} Tage lang aufbewahrt.',
  'export.email.downloadHours.one': 'Melden Sie sich in der App an, um ihn herunterzuladen (Export {exportId}). Er wird noch {hours} Stunde lang aufbewahrt.',
  'export.email.downloadHours.other': 'Melden Sie sich in der App an, um ihn herunterzuladen (Export {exportId}). Er wird noch {hours} Stunden lang aufbewahrt.',
  'export.email.notYou': 'Falls Sie ihn nicht angefordert haben, ändern Sie Ihr Passwort und beenden Sie Ihre anderen Sitzungen.',

  // ---- Account and sharing emails (mail-locales)
  'reset.email.subject': 'Passwort zurücksetzen',
  'reset.email.asked': 'Jemand (hoffentlich Sie) hat angefordert, das Passwort Ihres Kontos in der Budget-App zurückzusetzen.',
  'reset.email.openLink': 'Um ein neues Passwort festzulegen, öffnen Sie diesen Link:',
  'reset.email.orCode': 'oder geben Sie diesen Code zum Zurücksetzen in der App ein:',
  'reset.email.linkHtml': 'Um ein neues Passwort festzulegen, {link} oder geben Sie diesen Code zum Zurücksetzen in der App ein:',
  'reset.email.linkLabel': 'öffnen Sie diesen Link',
  'reset.email.codeOnly': 'Um ein neues Passwort festzulegen, geben Sie diesen Code zum Zurücksetzen in der App ein:',
  'reset.email.expires': 'Der Code funktioniert einmal und läuft in {minutes} Minuten ab. Mit einem neuen Passwort werden Sie überall abgemeldet.',
  'reset.email.notYou': 'Falls Sie das nicht angefordert haben, ignorieren Sie diese E-Mail: Ihr Passwort bleibt unverändert.',
  'emailChange.code.subject': 'Bestätigen Sie Ihre neue E-Mail-Adresse',
  'emailChange.code.asked': 'Jemand (hoffentlich Sie) möchte diese Adresse als E-Mail-Adresse seines Kontos in der Budget-App verwenden.',
  'emailChange.code.enter': 'Geben Sie zur Bestätigung diesen Code in der App ein, während Sie angemeldet sind:',
  'emailChange.code.expires': 'Der Code funktioniert einmal und läuft in {minutes} Minuten ab. Bis dahin behält das Konto seine bisherige E-Mail-Adresse.',
  'emailChange.code.notYou': 'Falls Sie das nicht angefordert haben, ignorieren Sie diese E-Mail: Es ändert sich nichts.',
  'emailChange.inUse.subject': 'Ihre E-Mail-Adresse wurde nicht geändert',
  'emailChange.inUse.exists': 'Jemand wollte diese Adresse als E-Mail-Adresse eines Kontos in der Budget-App verwenden, aber es gibt bereits ein Konto mit dieser Adresse, daher wurde nichts geändert.',
  'emailChange.inUse.ifYou': 'Falls Sie das waren, melden Sie sich stattdessen mit dieser Adresse an oder wählen Sie für das andere Konto eine andere Adresse.',
  'emailChange.inUse.notYou': 'Falls Sie das nicht angefordert haben, ignorieren Sie diese E-Mail: Ihr Konto ist nicht betroffen.',
  'emailChange.changed.subject': 'Ihre E-Mail-Adresse wurde geändert',
  'emailChange.changed.body': 'Die E-Mail-Adresse Ihres Kontos in der Budget-App wurde in {email} geändert. Melden Sie sich ab jetzt mit dieser Adresse an; E-Mails zu Ihrem Konto gehen dorthin.',
  'emailChange.changed.notYou': 'Falls Sie das nicht waren, kennt womöglich jemand Ihr Passwort: Setzen Sie es sofort über Ihre neue Adresse zurück, sofern Sie diese noch erreichen, und wenden Sie sich an den Support.',
  'mfaReset.email.subject': 'Die Zwei-Faktor-Anmeldung wurde vom Support deaktiviert',
  'mfaReset.email.done': 'Auf eine Anfrage an unser Support-Team hin wurde die Zwei-Faktor-Anmeldung für Ihr Konto in der Budget-App am {when} vom Support deaktiviert.',
  'mfaReset.email.signedOut': 'Alle Geräte wurden abgemeldet und alle persönlichen Zugriffstoken funktionieren nicht mehr. Melden Sie sich mit Ihrem Passwort an und aktivieren Sie die Zwei-Faktor-Anmeldung dann wieder mit Ihrer Authenticator-App.',
  'mfaReset.email.notYou': 'Falls Sie das nicht waren, versucht womöglich jemand, Ihr Konto zu übernehmen: Setzen Sie Ihr Passwort sofort zurück (Passwort vergessen, mit dieser Adresse) und wenden Sie sich an den Support.',
  'signIn.email.subject': 'Neue Anmeldung bei Ihrem Konto in der Budget-App',
  'signIn.email.intro': 'Bei Ihrem Konto in der Budget-App hat sich gerade jemand von einem Gerät oder Netzwerk aus angemeldet, von dem aus es bisher nicht genutzt wurde.',
  'signIn.email.when': 'Wann: {when}',
  'signIn.email.device': 'Gerät: {device}',
  'signIn.device.onOs': '{family} unter {os}',
  'signIn.device.app': 'eine App',
  'signIn.device.appOnOs': 'eine App unter {os}',
  'signIn.device.unknownAppOnOs': 'eine unbekannte App unter {os}',
  'signIn.device.unknown': 'ein unbekanntes Gerät',
  'signIn.email.network': 'Netzwerk: {network} (ungefähr)',
  'signIn.email.ifYou': 'Falls Sie das waren, müssen Sie nichts tun.',
  'signIn.email.notYou': 'Falls Sie das nicht waren, ändern Sie sofort Ihr Passwort: Damit werden alle Geräte abgemeldet und alle persönlichen Zugriffstoken beendet. Unter „Sitzungen“ in der App (GET /v1/me/sessions) sehen Sie, wo Ihr Konto angemeldet ist, und können jede Sitzung abmelden, die Sie nicht kennen.',
  'security.email.subject.password-changed': 'Das Passwort Ihres Kontos in der Budget-App wurde geändert',
  'security.email.subject.password-reset': 'Das Passwort Ihres Kontos in der Budget-App wurde zurückgesetzt',
  'security.email.subject.two-factor-on': 'Die Zwei-Faktor-Anmeldung wurde aktiviert',
  'security.email.subject.two-factor-off': 'Die Zwei-Faktor-Anmeldung wurde deaktiviert',
  'security.email.subject.recovery-codes-renewed': 'Neue Wiederherstellungscodes für die Zwei-Faktor-Anmeldung wurden erstellt',
  'security.email.subject.personal-token-created': 'Ein persönliches Zugriffstoken wurde erstellt',
  'security.email.done.password-changed': 'Das Passwort Ihres Kontos in der Budget-App wurde am {when} geändert. Alle anderen Geräte wurden abgemeldet und alle persönlichen Zugriffstoken funktionieren nicht mehr.',
  'security.email.done.password-reset': 'Das Passwort Ihres Kontos in der Budget-App wurde am {when} mit einem an diese Adresse gesendeten Code zurückgesetzt. Alle Geräte wurden abgemeldet und alle persönlichen Zugriffstoken funktionieren nicht mehr.',
  'security.email.done.two-factor-on': 'Für Ihr Konto in der Budget-App wurde am {when} die Zwei-Faktor-Anmeldung aktiviert: Zur Anmeldung ist jetzt neben dem Passwort ein Code aus einer Authenticator-App nötig.',
  'security.email.done.two-factor-off': 'Für Ihr Konto in der Budget-App wurde am {when} die Zwei-Faktor-Anmeldung deaktiviert: Zur Anmeldung genügt jetzt das Passwort.',
  'security.email.done.recovery-codes-renewed': 'Für Ihr Konto in der Budget-App wurden am {when} neue Wiederherstellungscodes erstellt. Die bisherigen Codes funktionieren nicht mehr.',
  'security.email.done.personal-token-created': 'Für Ihr Konto in der Budget-App wurde am {when} ein persönliches Zugriffstoken namens „{name}“ erstellt. Damit lässt sich ohne Passwort auf Ihre Budgets zugreifen, bis es abläuft oder widerrufen wird.',
  'security.email.ifYou': 'Falls Sie das waren, müssen Sie nichts tun.',
  'security.email.notYou': 'Falls Sie das nicht waren, hat womöglich jemand Zugriff auf Ihr Konto: Setzen Sie Ihr Passwort sofort zurück (Passwort vergessen, mit dieser Adresse) und wenden Sie sich an den Support.',
  'security.email.subject.webhook-created': 'Ein Webhook wurde zu Ihrem Konto hinzugefügt',
  'security.email.subject.calendar-feed-created': 'Ein Kalender-Feed wurde erstellt',
  'security.email.done.webhook-created': 'Zu Ihrem Konto in der Budget-App wurde am {when} ein Webhook hinzugefügt, der an {host} sendet. Er erhält die Änderungen Ihrer Budgets (Ausgaben mit Beträgen und Händlern), bis er gelöscht wird.',
  'security.email.done.calendar-feed-created': 'Für Ihr Konto in der Budget-App wurde am {when} ein Kalender-Feed eines Ihrer Budgets erstellt. Wer seine geheime Adresse kennt, sieht die anstehenden Rechnungen des Budgets, bis er widerrufen wird.',
  'security.email.notYou.credential': 'Falls Sie das nicht waren, hat womöglich jemand Zugriff auf Ihr Konto: Löschen Sie ihn sofort ({remove}), ändern Sie Ihr Passwort und wenden Sie sich an den Support.',
  'invitation.email.subject': 'Treten Sie dem Budget „{budget}“ bei',
  'invitation.email.invites': '{who} lädt Sie als {role} zum Budget „{budget}“ ein.',
  'invitation.email.someone': 'Der Inhaber eines Budgets',
  'invitation.email.role.editor': 'Bearbeiter (Sie können Ausgaben erfassen)',
  'invitation.email.role.viewer': 'Betrachter (Sie können es ansehen)',
  'invitation.email.openLink': 'Um beizutreten, öffnen Sie diesen Link und melden Sie sich an (oder erstellen Sie ein Konto, mit einer beliebigen E-Mail-Adresse):',
  'invitation.email.orCode': 'oder geben Sie diesen Einladungscode in der Budget-App ein:',
  'invitation.email.linkHtml': 'Um beizutreten, {link} und melden Sie sich an (oder erstellen Sie ein Konto, mit einer beliebigen E-Mail-Adresse), oder geben Sie diesen Einladungscode in der Budget-App ein:',
  'invitation.email.linkLabel': 'öffnen Sie diesen Link',
  'invitation.email.codeOnly': 'Um beizutreten, melden Sie sich in der Budget-App an (oder erstellen Sie ein Konto, mit einer beliebigen E-Mail-Adresse) und geben Sie diesen Einladungscode ein:',
  'invitation.email.expires': 'Der Code funktioniert einmal und läuft in {days} Tagen ab. Jeder, der ihn hat, kann beitreten: Geben Sie ihn also nicht weiter.',
  'invitation.email.expiresHours.one': 'Der Code funktioniert einmal und läuft in {hours} Stunde ab. Jeder, der ihn hat, kann beitreten: Geben Sie ihn also nicht weiter.',
  'invitation.email.expiresHours.other': 'Der Code funktioniert einmal und läuft in {hours} Stunden ab. Jeder, der ihn hat, kann beitreten: Geben Sie ihn also nicht weiter.',
  'invitation.email.notExpected': 'Falls Sie damit nicht gerechnet haben, ignorieren Sie diese E-Mail.',
  'webhook.email.subject': 'Webhook deaktiviert: {url}',
  'webhook.email.disabled': 'Ihr Webhook {url} ({id}) wurde deaktiviert: Alle Versuche sind 24 Stunden lang fehlgeschlagen (zuletzt: {last}).',
  'webhook.email.disabledGone': 'Ihr Webhook {url} ({id}) wurde deaktiviert: Sein Endpunkt hat mit 410 Gone geantwortet und damit keine weiteren Zustellungen mehr verlangt.',
  'webhook.email.howToEnable': 'Solange er deaktiviert ist, wird nichts mehr an ihn gesendet und es werden keine Ereignisse für ihn erfasst.\nSobald der Endpunkt wieder funktioniert, aktivieren Sie ihn mit {enable}; eine fehlgeschlagene Zustellung können Sie mit {redeliver} erneut senden.',
  'webhook.email.repair': 'Jedes Ereignis enthält den serverKnowledge des Budgets: Ein {changes} holt nach, was Ihnen entgangen ist.',
  'webhook.email.lastProcessed': 'der zuletzt verarbeitete',
  'unsubscribe.page.title': 'Abmelden',
  'unsubscribe.page.reports': 'Keine E-Mails mit den Periodenberichten Ihrer Budgets mehr erhalten? Es ändert sich nichts, bis Sie auf die Schaltfläche klicken.',
  'unsubscribe.page.budget-alerts': 'Keine E-Mails mit Budget-Warnungen mehr erhalten (wenn ein Budget oder eine Kategorie eine Schwelle ihres Limits erreicht oder es zu überschreiten droht)? Es ändert sich nichts, bis Sie auf die Schaltfläche klicken.',
  'unsubscribe.page.button': 'Abmelden',
  'unsubscribe.done.title': 'Abgemeldet',
  'unsubscribe.done.reports': 'Sie erhalten keine E-Mails mit den Periodenberichten Ihrer Budgets mehr.',
  'unsubscribe.done.budget-alerts': 'Sie erhalten keine E-Mails mit Budget-Warnungen mehr.',
  'unsubscribe.done.again': 'In den Benachrichtigungseinstellungen der App können Sie sie wieder einschalten.',
  'unsubscribe.invalid.title': 'Link ungültig',
  'unsubscribe.invalid.body': 'Dieser Abmeldelink ist ungültig. Öffnen Sie den Link aus der E-Mail erneut oder schalten Sie die E-Mails in den Benachrichtigungseinstellungen der App aus.',
  // ---- end of the account and sharing emails
} as const satisfies Messages;

const fr = {
  'period': 'du {start} au {end}',
  'report.email.subject': '{budget}\u00A0: votre rapport du {start} au {end}',
  'report.email.heading': '{budget}\u00A0: rapport du {start} au {end} (montants en {currency})',
  'report.email.headingLocalized': '{budget}\u00A0: rapport du {start} au {end}',
  'report.email.amount': 'Montant',
  'report.title': '{budget}\u00A0: du {start} au {end}',
  'report.lead': 'Rapport du {start} au {end}, montants en {currency}.',
  'report.leadLocalized': 'Rapport du {start} au {end}.',
  'report.limit': 'Limite',
  'report.carriedOver': 'Report',
  'report.available': 'Disponible',
  'report.spent': 'Dépensé',
  'report.remaining': 'Restant',
  'report.income': 'Revenus',
  'report.savingsRate': 'Taux d’épargne',
  'report.left': 'Reste',
  'report.category': 'Catégorie',
  'report.group': 'Groupe',
  'report.merchant': 'Commerçant',
  'report.expenses': 'Dépenses',
  'report.uncategorized': 'Sans catégorie',
  'report.byCategory': 'Dépenses par catégorie',
  'report.byGroup': 'Dépenses par groupe',
  'report.cumulative': 'Dépenses cumulées',
  'report.topMerchants': 'Principaux commerçants',
  'report.limitCarried': '{limit} ({carried} reportés)',
  'report.hidden': '{name} (masquée)',
  'report.previous': 'Période précédente (du {start} au {end})\u00A0: {spent} dépensés.',
  'report.generated': 'Généré le {at}.',
  'target.goal': "Objectif {amount} d'ici le {date}",
  'target.balance': 'Objectif {amount}',
  'target.perPeriod': '{amount} par période',
  'target.short': 'il manque {amount}',
  'target.funded': 'Atteint',
  'target.onTrack': 'En bonne voie',
  'target.behind': 'En retard',
  'chart.spentOf': '{spent} sur {limit}',
  'chart.noCategories': 'Aucune catégorie.',
  'chart.spentInCategory': 'dépensé dans la catégorie',
  'chart.overLimit': 'dépenses au-delà de la limite de la catégorie (avec report\u00A0: son disponible)',
  'chart.marker': 'repère en pointillés\u00A0: la limite de la catégorie, ou avec report son disponible (limite + report) («\u00A0X sur Y\u00A0»\u00A0: montant dépensé)',
  'chart.cumulativeTitle': 'Dépenses cumulées par rapport à la limite',
  'chart.total': 'total {amount}',
  'chart.spentSinceStart': 'dépensé depuis le début de la période, jour après jour (total {amount})',
  'chart.budgetLimit': 'la limite du budget ({amount})',
  'reports.title': '{budget}\u00A0: rapports',
  'reports.spent': '{spent} dépensés',
  'reports.none': 'Aucun rapport pour le moment.',
  'reports.older': 'Rapports plus anciens',
  'reports.budget': 'Budget',
  'alert.title.budget': '«\u00A0{budget}\u00A0»\u00A0: seuil de {threshold}\u00A0% de la limite atteint',
  'alert.title.category': '{category} dans «\u00A0{budget}\u00A0»\u00A0: seuil de {threshold}\u00A0% de la limite atteint',
  'alert.someCategory': 'Une catégorie',
  'alert.body': '{spent} dépensés sur {limit} (du {start} au {end}).',
  'pace.title.budget': '«\u00A0{budget}\u00A0»\u00A0: en voie de dépasser la limite',
  'pace.title.category': '{category} dans «\u00A0{budget}\u00A0»\u00A0: en voie de dépasser la limite',
  'pace.body': '{name}\u00A0: à ce rythme, {projected} sur {limit} d’ici le {end}',
  'bill.title': '{what}\u00A0: échéance demain',
  'bill.body': '{what}\u00A0: {amount} à payer demain ({date}) dans {budget}.',
  'bill.someExpense': 'Une dépense récurrente',
  'calendar.summary': '{what}\u00A0: {amount}',
  'calendar.summaryPayment': '{what} ({number}/{count})\u00A0: {amount}',
  'calendar.someExpense': 'Dépense récurrente',
  'calendar.category': 'Catégorie\u00A0: {category}',
  'calendar.split': 'Répartie en {parts} parts',
  'calendar.foreign': 'Payée en {amount}',
  'calendar.notRecorded': 'Une dépense récurrente de ce budget, pas encore enregistrée.',
  'calendar.archived': 'Ce budget est archivé\u00A0: ses dépenses récurrentes ne sont pas enregistrées, aucune facture n\'est donc affichée. Désarchivez-le pour les revoir.',
  'income.title': 'Revenu enregistré dans {budget}',
  'income.body': '{what}\u00A0: {amount} de {source} enregistré ({date}).',
  'income.body.noSource': '{what}\u00A0: {amount} enregistré ({date}).',
  'income.someIncome': 'Revenu',
  'import.title.finished': 'Votre import est terminé',
  'import.title.failed': 'Votre import a échoué',
  'import.finished': 'Votre import est terminé\u00A0: {counts}.',
  'import.finishedInto': 'Votre import dans {budget} est terminé\u00A0: {counts}.',
  'import.failed': 'Votre import a échoué\u00A0: {reason}.',
  'import.failedInto': 'Votre import dans {budget} a échoué\u00A0: {reason}.',
  'import.seeDetails': "voir les détails dans l'import",
  'import.reason.stalled': "il n'a pas progressé depuis trop longtemps",
  'import.reason.budgetDeleted': "le budget a été supprimé pendant l'import",
  'import.reason.budgetArchived': "le budget a été archivé pendant l'import",
  'import.reason.partFailed': 'une partie du fichier a échoué à chaque tentative',
  'import.reason.notStarted': "il n'a pas pu être lancé",
  'import.counts': '{added}, {duplicates}, {errors}',
  'import.countsMatched': '{added}, {matched}, {duplicates}, {errors}',
  'import.added.one': '{count} dépense ajoutée',
  'import.added.other': '{count} dépenses ajoutées',
  // Two nouns of both genders: the participle in the masculine plural, whatever the counts.
  'import.addedWithIncome': '{expenses} et {income} ajoutés',
  'import.expenses.one': '{count} dépense',
  'import.expenses.other': '{count} dépenses',
  'import.income.one': '{count} revenu',
  'import.income.other': '{count} revenus',
  'import.matched.one': '{count} facture déjà enregistrée',
  'import.matched.other': '{count} factures déjà enregistrées',
  'import.duplicates.one': '{count} doublon',
  'import.duplicates.other': '{count} doublons',
  'import.errors.one': '{count} erreur',
  'import.errors.other': '{count} erreurs',
  'rename.title.finished': 'Votre renommage de commerçant est terminé',
  'rename.title.failed': 'Votre renommage de commerçant a échoué',
  'rename.finished': 'Votre renommage en «\u00A0{to}\u00A0» est terminé\u00A0: {renamed}.',
  'rename.finishedIn': 'Votre renommage en «\u00A0{to}\u00A0» dans {budget} est terminé\u00A0: {renamed}.',
  'rename.failed': 'Votre renommage en «\u00A0{to}\u00A0» a échoué\u00A0: {reason}.',
  'rename.failedIn': 'Votre renommage en «\u00A0{to}\u00A0» dans {budget} a échoué\u00A0: {reason}.',
  'rename.seeDetails': 'voir les détails dans le renommage',
  'rename.reason.stalled': "il n'a pas progressé depuis trop longtemps",
  'rename.reason.budgetDeleted': 'le budget a été supprimé pendant le renommage',
  'rename.reason.budgetArchived': 'le budget a été archivé pendant le renommage',
  'rename.reason.partFailed': 'une page des dépenses du budget a échoué à chaque tentative',
  'rename.reason.notStarted': "il n'a pas pu être lancé",
  'rename.renamed.one': '{count} dépense renommée',
  'rename.renamed.other': '{count} dépenses renommées',
  'undo.title.finished': "L'annulation de votre import est terminée",
  'undo.title.failed': "L'annulation de votre import a échoué",
  'undo.finished': "L'annulation de votre import est terminée\u00A0: {counts}.",
  'undo.finishedIn': "L'annulation de votre import dans {budget} est terminée\u00A0: {counts}.",
  'undo.failed': "L'annulation de votre import a échoué\u00A0: {reason}.",
  'undo.failedIn': "L'annulation de votre import dans {budget} a échoué\u00A0: {reason}.",
  'undo.seeDetails': "voir les détails dans l'import",
  'undo.reason.stalled': "elle n'a pas progressé depuis trop longtemps",
  'undo.reason.budgetArchived': "le budget a été archivé pendant l'annulation",
  'undo.reason.partFailed': "une partie de l'import a échoué à chaque tentative",
  'undo.reason.notStarted': "elle n'a pas pu être lancée",
  'undo.reason.expired': "une partie de l'import avait expiré",
  'undo.reason.unavailable': "l'import a été enregistré avant que les imports puissent être annulés",
  'undo.counts': '{removed}, {kept}',
  'undo.countsGone': '{removed}, {kept}, {gone}',
  'undo.removed.one': '{count} dépense supprimée',
  'undo.removed.other': '{count} dépenses supprimées',
  'undo.kept.one': '{count} conservée (modifiée depuis)',
  'undo.kept.other': '{count} conservées (modifiées depuis)',
  'undo.gone.one': '{count} déjà supprimée',
  'undo.gone.other': '{count} déjà supprimées',
  'comment.title': 'Nouveau commentaire sur une dépense',

  'summary.title': 'Pendant votre absence',
  'summary.body.one': '{count} notification\u00A0: {list}',
  'summary.body.other': '{count} notifications\u00A0: {list}',
  'summary.more.one': '{count} autre',
  'summary.more.other': '{count} autres',
  'summary.alert': '{name} a atteint {threshold}\u00A0% de sa limite',
  'summary.pace': '{name} est en voie de dépasser sa limite',
  'summary.bill': '{what}\u00A0: échéance le {date}',
  'export.ready.title': 'Votre export de données est prêt',
  'export.ready.body': "Ouvrez l'app pour le télécharger. Il est conservé 7 jours.",
  'export.failed.title': 'Votre export de données a échoué',
  'export.failed.body': "Ouvrez l'app pour en lancer un nouveau.",
  'export.email.subject': 'Votre export de données est prêt',
  'export.email.ready': 'Votre export de données de budget est prêt.',
  'export.email.download': "Connectez-vous à l'app pour le télécharger (export {exportId}). Il est conservé {days} jours.",
  'export.email.downloadHours.one': "Connectez-vous à l'app pour le télécharger (export {exportId}). Il est conservé encore {hours} heure.",
  'export.email.downloadHours.other': "Connectez-vous à l'app pour le télécharger (export {exportId}). Il est conservé encore {hours} heures.",
  'export.email.notYou': "Si vous ne l'avez pas demandé, changez votre mot de passe et fermez vos autres sessions.",

  // ---- Account and sharing emails (mail-locales)
  'reset.email.subject': 'Réinitialisez votre mot de passe',
  'reset.email.asked': "Quelqu'un (vous, espérons-le) a demandé à réinitialiser le mot de passe de votre compte de budget.",
  'reset.email.openLink': 'Pour choisir un nouveau mot de passe, ouvrez ce lien\u00A0:',
  'reset.email.orCode': "ou saisissez ce code de réinitialisation dans l'app\u00A0:",
  'reset.email.linkHtml': "Pour choisir un nouveau mot de passe, {link}, ou saisissez ce code de réinitialisation dans l'app\u00A0:",
  'reset.email.linkLabel': 'ouvrez ce lien',
  'reset.email.codeOnly': "Pour choisir un nouveau mot de passe, saisissez ce code de réinitialisation dans l'app\u00A0:",
  'reset.email.expires': "Le code ne fonctionne qu'une fois et expire dans {minutes}\u00A0minutes. Choisir un nouveau mot de passe vous déconnecte partout.",
  'reset.email.notYou': "Si vous n'êtes pas à l'origine de cette demande, ignorez cet e-mail\u00A0: votre mot de passe reste inchangé.",
  'emailChange.code.subject': 'Confirmez votre nouvelle adresse e-mail',
  'emailChange.code.asked': "Quelqu'un (vous, espérons-le) a demandé à utiliser cette adresse comme e-mail de son compte de budget.",
  'emailChange.code.enter': "Pour confirmer, saisissez ce code dans l'app en étant connecté\u00A0:",
  'emailChange.code.expires': "Le code ne fonctionne qu'une fois et expire dans {minutes}\u00A0minutes. D'ici là, le compte garde son adresse e-mail actuelle.",
  'emailChange.code.notYou': "Si vous n'êtes pas à l'origine de cette demande, ignorez cet e-mail\u00A0: rien ne change.",
  'emailChange.inUse.subject': "Votre adresse e-mail n'a pas été modifiée",
  'emailChange.inUse.exists': "Quelqu'un a demandé à utiliser cette adresse comme e-mail d'un compte de budget, mais un compte avec cette adresse existe déjà\u00A0: rien n'a donc été modifié.",
  'emailChange.inUse.ifYou': "Si c'était vous, connectez-vous plutôt avec cette adresse, ou choisissez une autre adresse pour l'autre compte.",
  'emailChange.inUse.notYou': "Si vous n'êtes pas à l'origine de cette demande, ignorez cet e-mail\u00A0: votre compte n'est pas concerné.",
  'emailChange.changed.subject': 'Votre adresse e-mail a été modifiée',
  'emailChange.changed.body': "L'adresse e-mail de votre compte de budget a été remplacée par {email}. Désormais, connectez-vous avec cette adresse\u00A0; les e-mails concernant le compte y seront envoyés.",
  'emailChange.changed.notYou': "Si ce n'était pas vous, quelqu'un connaît peut-être votre mot de passe\u00A0: réinitialisez-le immédiatement avec votre nouvelle adresse si vous y avez encore accès, et contactez le support.",
  'mfaReset.email.subject': 'La connexion à deux facteurs a été désactivée par le support',
  'mfaReset.email.done': "La connexion à deux facteurs de votre compte de budget a été désactivée par le support le {when}, à la suite d'une demande adressée à notre équipe de support.",
  'mfaReset.email.signedOut': "Tous les appareils ont été déconnectés et tous les jetons d'accès personnels ont cessé de fonctionner. Connectez-vous avec votre mot de passe, puis réactivez la connexion à deux facteurs avec votre application d'authentification.",
  'mfaReset.email.notYou': "Si ce n'était pas vous, quelqu'un essaie peut-être de prendre le contrôle de votre compte\u00A0: réinitialisez immédiatement votre mot de passe (Mot de passe oublié, avec cette adresse) et contactez le support.",
  'signIn.email.subject': 'Nouvelle connexion à votre compte de budget',
  'signIn.email.intro': "Quelqu'un vient de se connecter à votre compte de budget depuis un appareil ou un réseau jamais utilisé auparavant pour ce compte.",
  'signIn.email.when': 'Quand\u00A0: {when}',
  'signIn.email.device': 'Appareil\u00A0: {device}',
  'signIn.device.onOs': '{family} sous {os}',
  'signIn.device.app': 'une app',
  'signIn.device.appOnOs': 'une app sous {os}',
  'signIn.device.unknownAppOnOs': 'une app inconnue sous {os}',
  'signIn.device.unknown': 'un appareil inconnu',
  'signIn.email.network': 'Réseau\u00A0: {network} (approximatif)',
  'signIn.email.ifYou': "Si c'était vous, vous n'avez rien à faire.",
  'signIn.email.notYou': "Si ce n'était pas vous, changez immédiatement votre mot de passe\u00A0: cela déconnecte tous les appareils et met fin à tous les jetons d'accès personnels. Vous pouvez voir où votre compte est connecté sous Sessions dans l'app (GET /v1/me/sessions) et fermer toute session que vous ne reconnaissez pas.",
  'security.email.subject.password-changed': 'Le mot de passe de votre compte de budget a été modifié',
  'security.email.subject.password-reset': 'Le mot de passe de votre compte de budget a été réinitialisé',
  'security.email.subject.two-factor-on': 'La connexion à deux facteurs a été activée',
  'security.email.subject.two-factor-off': 'La connexion à deux facteurs a été désactivée',
  'security.email.subject.recovery-codes-renewed': 'De nouveaux codes de récupération ont été créés',
  'security.email.subject.personal-token-created': "Un jeton d'accès personnel a été créé",
  'security.email.done.password-changed': "Le mot de passe de votre compte de budget a été modifié le {when}. Tous les autres appareils ont été déconnectés et tous les jetons d'accès personnels ont cessé de fonctionner.",
  'security.email.done.password-reset': "Le mot de passe de votre compte de budget a été réinitialisé le {when} avec un code envoyé à cette adresse. Tous les appareils ont été déconnectés et tous les jetons d'accès personnels ont cessé de fonctionner.",
  'security.email.done.two-factor-on': "La connexion à deux facteurs a été activée pour votre compte de budget le {when}\u00A0: la connexion demande désormais un code d'une application d'authentification en plus du mot de passe.",
  'security.email.done.two-factor-off': 'La connexion à deux facteurs a été désactivée pour votre compte de budget le {when}\u00A0: la connexion ne demande plus que le mot de passe.',
  'security.email.done.recovery-codes-renewed': 'De nouveaux codes de récupération ont été créés pour votre compte de budget le {when}. Les codes précédents ne fonctionnent plus.',
  'security.email.done.personal-token-created': "Un jeton d'accès personnel nommé «\u00A0{name}\u00A0» a été créé pour votre compte de budget le {when}. Il donne accès à vos budgets sans mot de passe jusqu'à son expiration ou sa révocation.",
  'security.email.ifYou': "Si c'était vous, vous n'avez rien à faire.",
  'security.email.notYou': "Si ce n'était pas vous, quelqu'un a peut-être accès à votre compte\u00A0: réinitialisez immédiatement votre mot de passe (Mot de passe oublié, avec cette adresse) et contactez le support.",
  'security.email.subject.webhook-created': 'Un webhook a été ajouté à votre compte',
  'security.email.subject.calendar-feed-created': 'Un flux de calendrier a été créé',
  'security.email.done.webhook-created': "Un webhook qui envoie à {host} a été ajouté à votre compte de budget le {when}. Il reçoit les modifications de vos budgets (dépenses avec leurs montants et commerçants) jusqu'à sa suppression.",
  'security.email.done.calendar-feed-created': "Un flux de calendrier de l'un de vos budgets a été créé pour votre compte de budget le {when}. Quiconque connaît son adresse secrète voit les factures à venir du budget jusqu'à sa révocation.",
  'security.email.notYou.credential': "Si ce n'était pas vous, quelqu'un a peut-être accès à votre compte\u00A0: supprimez-le tout de suite ({remove}), changez votre mot de passe et contactez le support.",
  'invitation.email.subject': 'Rejoignez le budget «\u00A0{budget}\u00A0»',
  /** The role carries its "en tant que" (elided before a vowel: "en tant qu'éditeur"). */
  'invitation.email.invites': '{who} vous invite à rejoindre le budget «\u00A0{budget}\u00A0» {role}.',
  'invitation.email.someone': "Le propriétaire d'un budget",
  'invitation.email.role.editor': "en tant qu'éditeur (vous pouvez saisir des dépenses)",
  'invitation.email.role.viewer': 'en tant que lecteur (vous pouvez le consulter)',
  'invitation.email.openLink': "Pour le rejoindre, ouvrez ce lien et connectez-vous (ou créez un compte, avec n'importe quelle adresse e-mail)\u00A0:",
  'invitation.email.orCode': "ou saisissez ce code d'invitation dans l'app de budget\u00A0:",
  'invitation.email.linkHtml': "Pour le rejoindre, {link} et connectez-vous (ou créez un compte, avec n'importe quelle adresse e-mail), ou saisissez ce code d'invitation dans l'app de budget\u00A0:",
  'invitation.email.linkLabel': 'ouvrez ce lien',
  'invitation.email.codeOnly': "Pour le rejoindre, connectez-vous à l'app de budget (ou créez un compte, avec n'importe quelle adresse e-mail) et saisissez ce code d'invitation\u00A0:",
  'invitation.email.expires': "Le code ne fonctionne qu'une fois et expire dans {days}\u00A0jours. Toute personne qui l'a peut rejoindre le budget\u00A0: ne le transmettez pas.",
  'invitation.email.expiresHours.one': "Le code ne fonctionne qu'une fois et expire dans {hours}\u00A0heure. Toute personne qui l'a peut rejoindre le budget\u00A0: ne le transmettez pas.",
  'invitation.email.expiresHours.other': "Le code ne fonctionne qu'une fois et expire dans {hours}\u00A0heures. Toute personne qui l'a peut rejoindre le budget\u00A0: ne le transmettez pas.",
  'invitation.email.notExpected': 'Si vous ne vous attendiez pas à cette invitation, ignorez cet e-mail.',
  'webhook.email.subject': 'Webhook désactivé\u00A0: {url}',
  'webhook.email.disabled': 'Votre webhook {url} ({id}) a été désactivé\u00A0: toutes les tentatives ont échoué pendant 24\u00A0heures (dernière\u00A0: {last}).',
  'webhook.email.disabledGone': 'Votre webhook {url} ({id}) a été désactivé\u00A0: son point de terminaison a répondu 410 Gone, ce qui demande de ne plus rien lui envoyer.',
  'webhook.email.howToEnable': "Tant qu'il est désactivé, plus rien ne lui est envoyé et aucun événement n'est enregistré pour lui.\nUne fois le point de terminaison rétabli, réactivez-le avec {enable}\u00A0; une livraison échouée peut être renvoyée avec {redeliver}.",
  'webhook.email.repair': 'Chaque événement porte le serverKnowledge du budget\u00A0: un seul {changes} rattrape ce que vous avez manqué.',
  'webhook.email.lastProcessed': 'le dernier que vous avez traité',
  'unsubscribe.page.title': 'Se désabonner',
  'unsubscribe.page.reports': "Ne plus recevoir les e-mails des rapports de période de vos budgets\u00A0? Rien ne change tant que vous n'appuyez pas sur le bouton.",
  'unsubscribe.page.budget-alerts': "Ne plus recevoir les e-mails d'alerte de budget (un budget ou une catégorie qui atteint un seuil de sa limite, ou qui est en voie de la dépasser)\u00A0? Rien ne change tant que vous n'appuyez pas sur le bouton.",
  'unsubscribe.page.button': 'Se désabonner',
  'unsubscribe.done.title': 'Désabonnement effectué',
  'unsubscribe.done.reports': 'Vous ne recevrez plus les e-mails des rapports de période de vos budgets.',
  'unsubscribe.done.budget-alerts': "Vous ne recevrez plus d'e-mails d'alerte de budget.",
  'unsubscribe.done.again': "Vous pouvez les réactiver dans les réglages de notification de l'application.",
  'unsubscribe.invalid.title': 'Lien non valide',
  'unsubscribe.invalid.body': "Ce lien de désabonnement n'est pas valide. Ouvrez à nouveau le lien de l'e-mail, ou désactivez les e-mails dans les réglages de notification de l'application.",
  // ---- end of the account and sharing emails
} as const satisfies Messages;

const es = {
  'period': 'del {start} al {end}',
  'report.email.subject': '{budget}: tu informe del {start} al {end}',
  'report.email.heading': '{budget}: informe del {start} al {end} (importes en {currency})',
  'report.email.headingLocalized': '{budget}: informe del {start} al {end}',
  'report.email.amount': 'Importe',
  'report.title': '{budget}: del {start} al {end}',
  'report.lead': 'Informe del {start} al {end}, importes en {currency}.',
  'report.leadLocalized': 'Informe del {start} al {end}.',
  'report.limit': 'Límite',
  'report.carriedOver': 'Traspasado',
  'report.available': 'Disponible',
  'report.spent': 'Gastado',
  'report.remaining': 'Restante',
  'report.income': 'Ingresos',
  'report.savingsRate': 'Tasa de ahorro',
  'report.left': 'Queda',
  'report.category': 'Categoría',
  'report.group': 'Grupo',
  'report.merchant': 'Comercio',
  'report.expenses': 'Gastos',
  'report.uncategorized': 'Sin categoría',
  'report.byCategory': 'Gasto por categoría',
  'report.byGroup': 'Gasto por grupo',
  'report.cumulative': 'Gasto acumulado',
  'report.topMerchants': 'Principales comercios',
  'report.limitCarried': '{limit} ({carried} traspasados)',
  'report.hidden': '{name} (oculta)',
  'report.previous': 'Periodo anterior (del {start} al {end}): {spent} gastados.',
  'report.generated': 'Generado el {at}.',
  'target.goal': 'Meta de {amount} para el {date}',
  'target.balance': 'Meta de {amount}',
  'target.perPeriod': '{amount} por periodo',
  'target.short': 'faltan {amount}',
  'target.funded': 'Conseguida',
  'target.onTrack': 'Al día',
  'target.behind': 'Atrasada',
  'chart.spentOf': '{spent} de {limit}',
  'chart.noCategories': 'Sin categorías.',
  'chart.spentInCategory': 'gastado en la categoría',
  'chart.overLimit': 'gasto por encima del límite de la categoría (con traspaso: su disponible)',
  'chart.marker': 'marca discontinua: el límite de la categoría o, con traspaso, su disponible (límite + traspasado) («X de Y»: gastado de él)',
  'chart.cumulativeTitle': 'Gasto acumulado frente al límite',
  'chart.total': 'total {amount}',
  'chart.spentSinceStart': 'gastado desde el inicio del periodo, día a día (total {amount})',
  'chart.budgetLimit': 'el límite del presupuesto ({amount})',
  'reports.title': '{budget}: informes',
  'reports.spent': '{spent} gastados',
  'reports.none': 'Aún no hay informes.',
  'reports.older': 'Informes anteriores',
  'reports.budget': 'Presupuesto',
  'alert.title.budget': '«{budget}»: alcanzado el {threshold}\u00A0% del límite',
  'alert.title.category': '{category} en «{budget}»: alcanzado el {threshold}\u00A0% del límite',
  'alert.someCategory': 'Una categoría',
  'alert.body': '{spent} gastados de {limit} (del {start} al {end}).',
  'pace.title.budget': '«{budget}»: en camino de superar el límite',
  'pace.title.category': '{category} en «{budget}»: en camino de superar el límite',
  'pace.body': '{name}: a este ritmo, {projected} de {limit} para el {end}',
  'bill.title': '{what} vence mañana',
  'bill.body': '{what}: {amount} vence mañana ({date}) en {budget}.',
  'bill.someExpense': 'Un gasto recurrente',
  'calendar.summary': '{what}: {amount}',
  'calendar.summaryPayment': '{what} ({number}/{count}): {amount}',
  'calendar.someExpense': 'Gasto recurrente',
  'calendar.category': 'Categoría: {category}',
  'calendar.split': 'Dividido en {parts} partes',
  'calendar.foreign': 'Pagado como {amount}',
  'calendar.notRecorded': 'Un gasto recurrente de este presupuesto, aún no registrado.',
  'calendar.archived': 'Este presupuesto está archivado: sus gastos recurrentes no se registran, así que no se muestra ninguna factura. Desarchívalo para volver a verlas.',
  'income.title': 'Ingreso registrado en {budget}',
  'income.body': '{what}: {amount} de {source} registrado ({date}).',
  'income.body.noSource': '{what}: {amount} registrado ({date}).',
  'income.someIncome': 'Ingreso',
  'import.title.finished': 'Tu importación ha terminado',
  'import.title.failed': 'Tu importación ha fallado',
  'import.finished': 'Tu importación ha terminado: {counts}.',
  'import.finishedInto': 'Tu importación en {budget} ha terminado: {counts}.',
  'import.failed': 'Tu importación ha fallado: {reason}.',
  'import.failedInto': 'Tu importación en {budget} ha fallado: {reason}.',
  'import.seeDetails': 'consulta los detalles en la importación',
  'import.reason.stalled': 'no avanzó durante demasiado tiempo',
  'import.reason.budgetDeleted': 'el presupuesto se eliminó durante la importación',
  'import.reason.budgetArchived': 'el presupuesto se archivó durante la importación',
  'import.reason.partFailed': 'una parte del archivo falló en todos los intentos',
  'import.reason.notStarted': 'no se pudo iniciar',
  'import.counts': '{added}, {duplicates}, {errors}',
  'import.countsMatched': '{added}, {matched}, {duplicates}, {errors}',
  'import.added.one': '{count} gasto añadido',
  'import.added.other': '{count} gastos añadidos',
  // Two nouns: the participle in the (masculine) plural, whatever the counts.
  'import.addedWithIncome': '{expenses} y {income} añadidos',
  'import.expenses.one': '{count} gasto',
  'import.expenses.other': '{count} gastos',
  'import.income.one': '{count} ingreso',
  'import.income.other': '{count} ingresos',
  'import.matched.one': '{count} factura ya registrada',
  'import.matched.other': '{count} facturas ya registradas',
  'import.duplicates.one': '{count} duplicado',
  'import.duplicates.other': '{count} duplicados',
  'import.errors.one': '{count} error',
  'import.errors.other': '{count} errores',
  'rename.title.finished': 'Tu cambio de nombre de comercio ha terminado',
  'rename.title.failed': 'Tu cambio de nombre de comercio ha fallado',
  'rename.finished': 'Tu cambio de nombre a «{to}» ha terminado: {renamed}.',
  'rename.finishedIn': 'Tu cambio de nombre a «{to}» en {budget} ha terminado: {renamed}.',
  'rename.failed': 'Tu cambio de nombre a «{to}» ha fallado: {reason}.',
  'rename.failedIn': 'Tu cambio de nombre a «{to}» en {budget} ha fallado: {reason}.',
  'rename.seeDetails': 'consulta los detalles en el cambio de nombre',
  'rename.reason.stalled': 'no avanzó durante demasiado tiempo',
  'rename.reason.budgetDeleted': 'el presupuesto se eliminó durante el cambio de nombre',
  'rename.reason.budgetArchived': 'el presupuesto se archivó durante el cambio de nombre',
  'rename.reason.partFailed': 'una página de los gastos del presupuesto falló en todos los intentos',
  'rename.reason.notStarted': 'no se pudo iniciar',
  'rename.renamed.one': '{count} gasto renombrado',
  'rename.renamed.other': '{count} gastos renombrados',
  'undo.title.finished': 'La anulación de tu importación ha terminado',
  'undo.title.failed': 'La anulación de tu importación ha fallado',
  'undo.finished': 'La anulación de tu importación ha terminado: {counts}.',
  'undo.finishedIn': 'La anulación de tu importación en {budget} ha terminado: {counts}.',
  'undo.failed': 'La anulación de tu importación ha fallado: {reason}.',
  'undo.failedIn': 'La anulación de tu importación en {budget} ha fallado: {reason}.',
  'undo.seeDetails': 'consulta los detalles en la importación',
  'undo.reason.stalled': 'no avanzó durante demasiado tiempo',
  'undo.reason.budgetArchived': 'el presupuesto se archivó durante la anulación',
  'undo.reason.partFailed': 'una parte de la importación falló en todos los intentos',
  'undo.reason.notStarted': 'no se pudo iniciar',
  'undo.reason.expired': 'una parte de la importación había caducado',
  'undo.reason.unavailable': 'la importación se registró antes de que las importaciones pudieran deshacerse',
  'undo.counts': '{removed}, {kept}',
  'undo.countsGone': '{removed}, {kept}, {gone}',
  'undo.removed.one': '{count} gasto eliminado',
  'undo.removed.other': '{count} gastos eliminados',
  'undo.kept.one': '{count} conservado (modificado desde entonces)',
  'undo.kept.other': '{count} conservados (modificados desde entonces)',
  'undo.gone.one': '{count} ya eliminado',
  'undo.gone.other': '{count} ya eliminados',
  'comment.title': 'Nuevo comentario en un gasto',

  'summary.title': 'Mientras no estabas',
  'summary.body.one': '{count} notificación: {list}',
  'summary.body.other': '{count} notificaciones: {list}',
  'summary.more.one': '{count} más',
  'summary.more.other': '{count} más',
  'summary.alert': '{name} ha alcanzado el {threshold}\u00A0% de su límite',
  'summary.pace': '{name} va camino de superar su límite',
  'summary.bill': '{what} vence el {date}',
  'export.ready.title': 'Tu exportación de datos está lista',
  'export.ready.body': 'Abre la app para descargarla. Se conserva 7 días.',
  'export.failed.title': 'Tu exportación de datos ha fallado',
  'export.failed.body': 'Abre la app para iniciar una nueva.',
  'export.email.subject': 'Tu exportación de datos está lista',
  'export.email.ready': 'Tu exportación de datos de presupuesto está lista.',
  'export.email.download': 'Inicia sesión en la app para descargarla (exportación {exportId}). Se conserva {days} días.',
  'export.email.downloadHours.one': 'Inicia sesión en la app para descargarla (exportación {exportId}). Se conserva {hours} hora más.',
  'export.email.downloadHours.other': 'Inicia sesión en la app para descargarla (exportación {exportId}). Se conserva {hours} horas más.',
  'export.email.notYou': 'Si no la has pedido, cambia tu contraseña y cierra tus otras sesiones.',

  // ---- Account and sharing emails (mail-locales)
  'reset.email.subject': 'Restablece tu contraseña',
  'reset.email.asked': 'Alguien (esperamos que tú) ha pedido restablecer la contraseña de tu cuenta de presupuestos.',
  'reset.email.openLink': 'Para elegir una contraseña nueva, abre este enlace:',
  'reset.email.orCode': 'o introduce este código de restablecimiento en la app:',
  'reset.email.linkHtml': 'Para elegir una contraseña nueva, {link} o introduce este código de restablecimiento en la app:',
  'reset.email.linkLabel': 'abre este enlace',
  'reset.email.codeOnly': 'Para elegir una contraseña nueva, introduce este código de restablecimiento en la app:',
  'reset.email.expires': 'El código funciona una sola vez y caduca en {minutes} minutos. Al elegir una contraseña nueva se cerrará tu sesión en todas partes.',
  'reset.email.notYou': 'Si no lo has pedido tú, ignora este correo: tu contraseña seguirá siendo la misma.',
  'emailChange.code.subject': 'Confirma tu nueva dirección de correo',
  'emailChange.code.asked': 'Alguien (esperamos que tú) ha pedido usar esta dirección como correo de su cuenta de presupuestos.',
  'emailChange.code.enter': 'Para confirmarlo, introduce este código en la app con la sesión iniciada:',
  'emailChange.code.expires': 'El código funciona una sola vez y caduca en {minutes} minutos. Hasta entonces, la cuenta conserva su correo actual.',
  'emailChange.code.notYou': 'Si no lo has pedido tú, ignora este correo: no cambiará nada.',
  'emailChange.inUse.subject': 'Tu dirección de correo no se ha cambiado',
  'emailChange.inUse.exists': 'Alguien ha pedido usar esta dirección como correo de una cuenta de presupuestos, pero ya existe una cuenta con esta dirección, así que no se ha cambiado nada.',
  'emailChange.inUse.ifYou': 'Si fuiste tú, inicia sesión con esta dirección o elige otra dirección para la otra cuenta.',
  'emailChange.inUse.notYou': 'Si no lo has pedido tú, ignora este correo: tu cuenta no se ve afectada.',
  'emailChange.changed.subject': 'Tu dirección de correo se ha cambiado',
  'emailChange.changed.body': 'El correo de tu cuenta de presupuestos se ha cambiado a {email}. A partir de ahora, inicia sesión con esa dirección; el correo sobre la cuenta se enviará allí.',
  'emailChange.changed.notYou': 'Si no fuiste tú, puede que alguien conozca tu contraseña: restablécela de inmediato con tu nueva dirección si todavía tienes acceso a ella y ponte en contacto con el soporte.',
  'mfaReset.email.subject': 'El soporte ha desactivado el inicio de sesión en dos pasos',
  'mfaReset.email.done': 'El soporte desactivó el inicio de sesión en dos pasos de tu cuenta de presupuestos el {when}, a raíz de una solicitud hecha a nuestro equipo de soporte.',
  'mfaReset.email.signedOut': 'Se cerró la sesión en todos los dispositivos y todos los tokens de acceso personal dejaron de funcionar. Inicia sesión con tu contraseña y vuelve a activar el inicio de sesión en dos pasos con tu app de autenticación.',
  'mfaReset.email.notYou': 'Si no fuiste tú, puede que alguien esté intentando hacerse con tu cuenta: restablece tu contraseña de inmediato («¿Has olvidado tu contraseña?», con esta dirección) y ponte en contacto con el soporte.',
  'signIn.email.subject': 'Nuevo inicio de sesión en tu cuenta de presupuestos',
  'signIn.email.intro': 'Se acaba de iniciar sesión en tu cuenta de presupuestos desde un dispositivo o una red desde los que nunca se había iniciado sesión.',
  'signIn.email.when': 'Cuándo: {when}',
  'signIn.email.device': 'Dispositivo: {device}',
  'signIn.device.onOs': '{family} en {os}',
  'signIn.device.app': 'una app',
  'signIn.device.appOnOs': 'una app en {os}',
  'signIn.device.unknownAppOnOs': 'una app desconocida en {os}',
  'signIn.device.unknown': 'un dispositivo desconocido',
  'signIn.email.network': 'Red: {network} (aproximada)',
  'signIn.email.ifYou': 'Si fuiste tú, no tienes que hacer nada.',
  'signIn.email.notYou': 'Si no fuiste tú, cambia tu contraseña de inmediato: así se cierra la sesión en todos los dispositivos y se anulan todos los tokens de acceso personal. Puedes ver dónde está iniciada tu cuenta en Sesiones, en la app (GET /v1/me/sessions), y cerrar cualquier sesión que no reconozcas.',
  'security.email.subject.password-changed': 'Se ha cambiado la contraseña de tu cuenta de presupuestos',
  'security.email.subject.password-reset': 'Se ha restablecido la contraseña de tu cuenta de presupuestos',
  'security.email.subject.two-factor-on': 'Se ha activado el inicio de sesión en dos pasos',
  'security.email.subject.two-factor-off': 'Se ha desactivado el inicio de sesión en dos pasos',
  'security.email.subject.recovery-codes-renewed': 'Se han creado nuevos códigos de recuperación',
  'security.email.subject.personal-token-created': 'Se ha creado un token de acceso personal',
  'security.email.done.password-changed': 'La contraseña de tu cuenta de presupuestos se cambió el {when}. Se cerró la sesión en todos los demás dispositivos y todos los tokens de acceso personal dejaron de funcionar.',
  'security.email.done.password-reset': 'La contraseña de tu cuenta de presupuestos se restableció el {when} con un código enviado a esta dirección. Se cerró la sesión en todos los dispositivos y todos los tokens de acceso personal dejaron de funcionar.',
  'security.email.done.two-factor-on': 'El inicio de sesión en dos pasos de tu cuenta de presupuestos se activó el {when}: ahora, para iniciar sesión, hace falta un código de una app de autenticación además de la contraseña.',
  'security.email.done.two-factor-off': 'El inicio de sesión en dos pasos de tu cuenta de presupuestos se desactivó el {when}: ahora basta con la contraseña para iniciar sesión.',
  'security.email.done.recovery-codes-renewed': 'Se crearon nuevos códigos de recuperación para tu cuenta de presupuestos el {when}. Los códigos anteriores ya no funcionan.',
  'security.email.done.personal-token-created': 'Se creó un token de acceso personal llamado «{name}» para tu cuenta de presupuestos el {when}. Permite acceder a tus presupuestos sin contraseña hasta que caduque o se revoque.',
  'security.email.ifYou': 'Si fuiste tú, no tienes que hacer nada.',
  'security.email.notYou': 'Si no fuiste tú, puede que alguien tenga acceso a tu cuenta: restablece tu contraseña de inmediato («¿Has olvidado tu contraseña?», con esta dirección) y ponte en contacto con el soporte.',
  'security.email.subject.webhook-created': 'Se ha añadido un webhook a tu cuenta',
  'security.email.subject.calendar-feed-created': 'Se ha creado un feed de calendario',
  'security.email.done.webhook-created': 'El {when} se añadió a tu cuenta de presupuestos un webhook que envía a {host}. Recibe los cambios de tus presupuestos (gastos con sus importes y comercios) hasta que se elimine.',
  'security.email.done.calendar-feed-created': 'El {when} se creó para tu cuenta de presupuestos un feed de calendario de uno de tus presupuestos. Quien conozca su dirección secreta ve las próximas facturas del presupuesto hasta que se revoque.',
  'security.email.notYou.credential': 'Si no fuiste tú, alguien puede tener acceso a tu cuenta: elimínalo ahora mismo ({remove}), cambia tu contraseña y contacta con soporte.',
  'invitation.email.subject': 'Únete al presupuesto «{budget}»',
  'invitation.email.invites': '{who} te invita al presupuesto «{budget}» como {role}.',
  'invitation.email.someone': 'El propietario de un presupuesto',
  'invitation.email.role.editor': 'editor (puedes registrar gastos)',
  'invitation.email.role.viewer': 'lector (puedes verlo)',
  'invitation.email.openLink': 'Para unirte, abre este enlace e inicia sesión (o crea una cuenta, con cualquier correo):',
  'invitation.email.orCode': 'o introduce este código de invitación en la app de presupuestos:',
  'invitation.email.linkHtml': 'Para unirte, {link} e inicia sesión (o crea una cuenta, con cualquier correo), o introduce este código de invitación en la app de presupuestos:',
  'invitation.email.linkLabel': 'abre este enlace',
  'invitation.email.codeOnly': 'Para unirte, inicia sesión en la app de presupuestos (o crea una cuenta, con cualquier correo) e introduce este código de invitación:',
  'invitation.email.expires': 'El código funciona una sola vez y caduca en {days} días. Cualquiera que lo tenga puede unirse, así que no lo compartas.',
  'invitation.email.expiresHours.one': 'El código funciona una sola vez y caduca en {hours} hora. Cualquiera que lo tenga puede unirse, así que no lo compartas.',
  'invitation.email.expiresHours.other': 'El código funciona una sola vez y caduca en {hours} horas. Cualquiera que lo tenga puede unirse, así que no lo compartas.',
  'invitation.email.notExpected': 'Si no esperabas esta invitación, ignora este correo.',
  'webhook.email.subject': 'Webhook desactivado: {url}',
  'webhook.email.disabled': 'Tu webhook {url} ({id}) se ha desactivado: todos los intentos fallaron durante 24 horas (último: {last}).',
  'webhook.email.disabledGone': 'Tu webhook {url} ({id}) se ha desactivado: su endpoint respondió 410 Gone, lo que pide no recibir más entregas.',
  'webhook.email.howToEnable': 'Mientras esté desactivado, no se le envía nada más y no se registran eventos para él.\nCuando el endpoint vuelva a funcionar, actívalo con {enable}; una entrega fallida puede volver a enviarse con {redeliver}.',
  'webhook.email.repair': 'Cada evento lleva el serverKnowledge del presupuesto: un solo {changes} recupera lo que te hayas perdido.',
  'webhook.email.lastProcessed': 'el último que procesaste',
  'unsubscribe.page.title': 'Darse de baja',
  'unsubscribe.page.reports': '¿Dejar de recibir los correos con los informes de periodo de tus presupuestos? No cambia nada hasta que pulses el botón.',
  'unsubscribe.page.budget-alerts': '¿Dejar de recibir los correos de alertas de presupuesto (un presupuesto o una categoría que alcanza un umbral de su límite, o que va camino de superarlo)? No cambia nada hasta que pulses el botón.',
  'unsubscribe.page.button': 'Darse de baja',
  'unsubscribe.done.title': 'Baja realizada',
  'unsubscribe.done.reports': 'Ya no recibirás correos con los informes de periodo de tus presupuestos.',
  'unsubscribe.done.budget-alerts': 'Ya no recibirás correos de alertas de presupuesto.',
  'unsubscribe.done.again': 'Puedes volver a activarlos en los ajustes de notificaciones de la app.',
  'unsubscribe.invalid.title': 'Enlace no válido',
  'unsubscribe.invalid.body': 'Este enlace de baja no es válido. Vuelve a abrir el enlace del correo o desactiva los correos en los ajustes de notificaciones de la app.',
  // ---- end of the account and sharing emails
} as const satisfies Messages;

/** Every language's messages, by language subtag. */
export const MESSAGE_CATALOG = { en, de, fr, es } as const satisfies Record<string, Messages>;
export type MessageLanguage = keyof typeof MESSAGE_CATALOG;

/** The placeholder names of a template type: '{a} of {b}' -> 'a' | 'b'. */
type PlaceholdersOf<T extends string> = T extends `${string}{${infer Name}}${infer Rest}` ? Name | PlaceholdersOf<Rest> : never;
/** What `fill` takes for a key: one value per placeholder of its English template (none: no argument). */
export type MessageParams<K extends MessageKey> = Record<PlaceholdersOf<(typeof en)[K]>, string | number>;
type ParamsArg<K extends MessageKey> = [PlaceholdersOf<(typeof en)[K]>] extends [never] ? [] : [params: MessageParams<K>];

export interface LocaleMessages {
  /** The catalog language the words are in (en when the locale's language is not in it, or there is no locale). */
  readonly language: MessageLanguage;
  /**
   * The document language of a page in these words: the locale itself when its language is
   * the catalog's ("de-AT"), else "en" (the words are English: a page in English words must not
   * claim to be Japanese).
   */
  readonly lang: string;
  /** The message of `key` with its placeholders filled in (values as they are: escape them for HTML). */
  fill<K extends MessageKey>(key: K, ...params: ParamsArg<K>): string;
  /** Which form of a count-dependent message `n` takes in this language: `${name}.${plural(n)}`. */
  plural(n: number): PluralForm;
}

/** The forms a count-dependent message has in the catalog (see the header). */
export type PluralForm = 'one' | 'other';
const pluralRules = new Map<MessageLanguage, Intl.PluralRules>();

/** `.one` when the language's rules say "one" for `n`, else `.other` (rules made on first use, not at module load). */
function pluralForm(language: MessageLanguage, n: number): PluralForm {
  let rules = pluralRules.get(language);
  if (!rules) pluralRules.set(language, (rules = new Intl.PluralRules(language)));
  return rules.select(n) === 'one' ? 'one' : 'other';
}

const PLACEHOLDER = /\{([A-Za-z]+)\}/g;

/**
 * The template with each `{name}` replaced by its value, in one pass (a value is never read
 * again). A value's open bidi embeddings, overrides and isolates are closed at its end, and a
 * value with a right-to-left character is isolated (text.ts isolatedBidi): a member's merchant
 * or description, Hebrew or Arabic or ending in an override, must not turn the words and
 * amounts after it around.
 */
export function fillTemplate(template: string, params: Readonly<Record<string, string | number>> = {}): string {
  return template.replace(PLACEHOLDER, (_whole, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`Message placeholder {${name}} has no value`);
    return isolatedBidi(String(value));
  });
}

/** The catalog language of a locale: its language subtag when the catalog has it, else English. */
export function messageLanguage(locale: string | null | undefined): MessageLanguage {
  return catalogLanguageOf(locale) ?? 'en';
}

/** The locale's language subtag when the catalog has it, else undefined. */
function catalogLanguageOf(locale: string | null | undefined): MessageLanguage | undefined {
  if (!locale) return undefined;
  let language: string;
  try {
    language = new Intl.Locale(locale).language;
  } catch {
    return undefined; // not a tag (a stored locale always is one: locales.ts)
  }
  return Object.hasOwn(MESSAGE_CATALOG, language) ? (language as MessageLanguage) : undefined;
}

/** The words for a reader with this locale (none: English, the texts as before locales). */
export function localeMessages(locale: string | null | undefined): LocaleMessages {
  const served = catalogLanguageOf(locale);
  const messages: Messages = MESSAGE_CATALOG[served ?? 'en'];
  return {
    language: served ?? 'en',
    lang: served && locale ? locale : 'en',
    fill: (key, ...params) => fillTemplate(messages[key], params[0]),
    plural: (n) => pluralForm(served ?? 'en', n),
  };
}
