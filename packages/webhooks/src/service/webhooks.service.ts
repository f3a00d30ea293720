import { changesNothing, keyInUse, newId, ProblemError, problems, type KeyCompletion, type TransactItem } from '@budgeting/platform';
import type { UsersFacade } from '@budgeting/users';
import type { UrlPolicy } from '../contract';
import type { WebhookEventType } from '../domain/event-types';
import { newSecret } from '../domain/secret';
import { MAX_WEBHOOKS_PER_USER } from '../domain/webhook-limits';
import type { Delivery, Webhook } from '../model';
import type { WebhookServiceDeps } from './service-deps';
import { checkWebhookUrl } from './url-guard';

export interface WebhooksServiceDeps extends WebhookServiceDeps {
  urlPolicy: UrlPolicy;
  /** The owner's account check in the create's transaction (UsersFacade.accountCheck). */
  users: Pick<UsersFacade, 'accountCheck' | 'credentialNotice'>;
  /** Queues the deliveries' cleanup of webhooks deleted (create-module.ts; jobs/deliveries-cleanup-job.ts). */
  cleanUpDeliveries: (webhooks: Pick<Webhook, 'ownerId' | 'id'>[]) => Promise<void>;
  /**
   * The resume of a re-enabled webhook's waiting deliveries: a job unit written in the enabling
   * PATCH's transaction (platform queuedUnitPut; jobs/resume-deliveries-job.ts).
   */
  resumeUnit: (webhook: Pick<Webhook, 'ownerId' | 'id' | 'version'>) => TransactItem;
}

export interface WebhookInput {
  url: string;
  budgetIds?: string[] | null;
  eventTypes?: WebhookEventType[] | null;
  description?: string | null;
}

export interface WebhookPatch extends Partial<WebhookInput> {
  enabled?: boolean;
}

export { MAX_WEBHOOKS_PER_USER } from '../domain/webhook-limits';
/** After a rotation, the previous secret still signs (next to the new one) for this long. */
export const ROTATION_GRACE_MS = 24 * 60 * 60 * 1000;

const webhookNotFound = () => problems.notFound('Webhook not found.');
const webhookLimit = () => problems.limitReached('webhooks', MAX_WEBHOOKS_PER_USER, `You can have at most ${MAX_WEBHOOKS_PER_USER} webhooks; delete one first.`);

/** The webhooks of the caller: registration, changes, secret rotation, deliveries and redelivery. */
export class WebhooksService {
  constructor(private readonly d: WebhooksServiceDeps) {}

  /**
   * Registers a webhook. `completeKey`: a keyed create's answer (its secret sealed by the route's
   * sealer) is committed with the webhook, so a retry after a crash between the commit and the
   * answer replays it, also after the webhook was deleted meanwhile (it ran again before and
   * created a second one). A replay runs nothing, so the watchers' mark does not depend on what
   * runs after the commit: the owner is pinned as a watcher first (see `watch`).
   */
  async create(ownerId: string, input: WebhookInput, reservedId?: string, completeKey?: KeyCompletion<Webhook>): Promise<Webhook> {
    const id = reservedId ?? newId(this.d.clock.now().getTime());
    const existing = await this.d.webhooks.get(ownerId, id);
    if (existing) {
      // Under the key's reserved id already: an attempt whose key was completed after its write
      // (before the completion moved into the write): also one that crashed before watching.
      await this.watch(existing);
      return existing;
    }
    await this.checkInput(ownerId, input.url, input.budgetIds);
    // The list answers the common refusal early (before any pin); the count item in the create's
    // transaction is what holds the cap against creates racing at it.
    const listed = (await this.d.webhooks.list(ownerId)).length;
    if (listed >= MAX_WEBHOOKS_PER_USER) throw webhookLimit();
    const now = this.d.clock.now().toISOString();
    const webhook: Webhook = {
      id,
      ownerId,
      url: input.url,
      budgetIds: input.budgetIds ?? null,
      eventTypes: input.eventTypes ?? null,
      // Trimmed by the schema; empty (only spaces sent) is none, as an expense's description.
      description: input.description || null,
      status: 'enabled',
      disabledReason: null,
      secret: newSecret(),
      previousSecret: null,
      previousSecretExpiresAt: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    const watched = await this.watchedBudgets(webhook);
    // This attempt's own pin, not the webhook's id: a retry that took the key over pins and ends
    // its own, so this attempt's refusal below never ends the retry's pin before its commit.
    const pin = newId(this.d.clock.now().getTime());
    // The mark ends the pin (the pin already lists the owner: a crash before it loses nothing).
    // A refusal or failure after the pin ends it too: else nothing would, and the owner would stay
    // listed with no webhook while recounts keep the item alive (the mark's listing is recounted away).
    const mark = async () => {
      if (watched) await this.d.watchers!.addEventWatcher(watched, ownerId, pin);
    };
    const pinnedThenCreated = async () => {
      if (watched) await this.d.watchers!.pinEventWatcher(watched, ownerId, pin);
      // The owner's account is checked in the write: a deletion, and its user.deleted cleanup
      // (webhooks-on-users), may both run between the request's account check and this write,
      // which would then store a webhook (and a count) of a deleted account that nothing removes.
      // The owner is mailed a security notice (a webhook reads the household's data: a stolen
      // session could add one), exactly when this commits: its unit rides the same transaction.
      const notice = this.d.users.credentialNotice(ownerId, { change: 'webhook-created', host: new URL(webhook.url).host, removePath: `/v1/webhooks/${id}` }, this.d.clock.now());
      return this.d.webhooks.createWith(webhook, this.d.users.accountCheck(ownerId), completeKey ? [completeKey.item(webhook)] : [], listed, MAX_WEBHOOKS_PER_USER, notice);
    };
    // A pin that failed on one budget ends those made on the others too (the pins all settled).
    const outcome = await pinnedThenCreated().catch(async (err: unknown) => {
      await mark().catch(() => undefined);
      throw err;
    });
    if (outcome === 'created') completeKey?.committed();
    await mark();
    if (outcome === 'key-taken') throw keyInUse();
    if (outcome === 'full') throw webhookLimit();
    if (outcome === 'owner-gone') throw problems.accountGone();
    return outcome === 'created' ? webhook : ((await this.d.webhooks.get(ownerId, id)) ?? webhook);
  }

  list(ownerId: string): Promise<Webhook[]> {
    return this.d.webhooks.list(ownerId);
  }

  async get(ownerId: string, id: string): Promise<Webhook> {
    const webhook = await this.d.webhooks.get(ownerId, id);
    if (!webhook) throw webhookNotFound();
    return webhook;
  }

  async update(ownerId: string, id: string, patch: WebhookPatch, expected?: ReadonlySet<number>): Promise<Webhook> {
    const current = await this.get(ownerId, id);
    if (expected && !expected.has(current.version)) throw problems.preconditionFailed();
    // Only the budgets it adds: one it names already may have been deleted, or left, since (its
    // deliveries are skipped, delivery.service.ts), and a client sending the stored list back
    // (a form saved with another URL) must not be refused for it, as an expense's sharedWith.
    await this.checkInput(ownerId, patch.url, patch.budgetIds, current.budgetIds ?? []);
    const enabling = patch.enabled === true && current.status === 'disabled';
    const next: Webhook = {
      ...current,
      ...(patch.url !== undefined ? { url: patch.url } : {}),
      ...(patch.budgetIds !== undefined ? { budgetIds: patch.budgetIds } : {}),
      ...(patch.eventTypes !== undefined ? { eventTypes: patch.eventTypes } : {}),
      ...(patch.description !== undefined ? { description: patch.description || null } : {}),
      ...(patch.enabled === undefined ? {} : { status: patch.enabled ? 'enabled' : 'disabled', disabledReason: patch.enabled ? null : 'Disabled by its owner.' }),
      version: current.version + 1,
      updatedAt: this.d.clock.now().toISOString(),
    };
    // Its deliveries' 24 h of retries start again from here (delivery.service.ts: attempts before it are not counted).
    if (enabling) next.enabledAt = next.updatedAt;
    // The values it has already (a client saving a form untouched): nothing to write, no new
    // version (README, the routes table: "a PATCH that changes nothing"). The URL was still checked (and any budget it adds).
    if (changesNothing(current, next)) return current;
    // Re-enabled: its waiting deliveries are resumed by a job unit written with it (never in the
    // request: a busy webhook disabled for days holds thousands), so no enabled webhook is left
    // with streams nothing queues. A pending ping is not resumed: it kept its own messages.
    // Pinned as a watcher of its budgets before the write, as a create is (see create): the mark
    // after the commit can fail (DynamoDB throttling it: a 503), and the client's retry then
    // changes nothing and marks nothing, so without the pin a budget the PATCH added (or every
    // budget of a webhook it enabled) stayed "unwatched" and its events never reached the
    // webhook (until 2026-12-07). The pin lists the owner until a recount finds the webhook.
    const watched = await this.watchedBudgets(next);
    const pin = newId(this.d.clock.now().getTime());
    const mark = async () => {
      if (watched) await this.d.watchers!.addEventWatcher(watched, ownerId, pin);
    };
    const written = await (async () => {
      if (watched) await this.d.watchers!.pinEventWatcher(watched, ownerId, pin);
      return this.d.webhooks.replaceWith(next, enabling ? [this.d.resumeUnit(next)] : []);
    })().catch(async (err: unknown) => {
      await mark().catch(() => undefined);
      throw err;
    });
    await mark();
    if (written !== 'replaced') throw problems.preconditionFailed('The webhook changed meanwhile; fetch it again.');
    return next;
  }

  /** Deletes it; the owner's list (one Query, at most MAX_WEBHOOKS_PER_USER) also starts a count that predates the cap's item. */
  async remove(ownerId: string, id: string, expected?: ReadonlySet<number>): Promise<void> {
    const all = await this.d.webhooks.list(ownerId);
    const current = all.find((w) => w.id === id);
    if (!current) throw webhookNotFound();
    if (expected && !expected.has(current.version)) throw problems.preconditionFailed();
    if (!(await this.d.webhooks.delete(ownerId, id, current.version, all.length))) throw problems.preconditionFailed('The webhook changed meanwhile; fetch it again.');
    // Its deliveries (event bodies: notes, names, amounts) go now, not at their 30-day TTL: once
    // the webhook is gone no list finds them, not even the account's deletion. Queued after the
    // delete (the unit deletes the webhook item first, so never before a refused DELETE); a
    // failed enqueue is a 500 and leaves them to their TTL, as before this cleanup existed.
    await this.d.cleanUpDeliveries([{ ownerId, id }]);
  }

  /**
   * A new secret (shown once, in this answer); the previous one keeps signing for ROTATION_GRACE_MS.
   * `completeKey`: a keyed rotation's answer is committed with it (sealed by the route's sealer),
   * so a retry after a crash between the commit and the answer replays it instead of rotating
   * again (which would replace a secret nobody saw and end the receiver's one's grace at once).
   */
  async rotateSecret(ownerId: string, id: string, completeKey?: KeyCompletion<Webhook>): Promise<Webhook> {
    const current = await this.get(ownerId, id);
    const now = this.d.clock.now();
    const next: Webhook = {
      ...current,
      secret: newSecret(),
      previousSecret: current.secret,
      previousSecretExpiresAt: new Date(now.getTime() + ROTATION_GRACE_MS).toISOString(),
      version: current.version + 1,
      updatedAt: now.toISOString(),
    };
    const outcome = await this.d.webhooks.replaceWith(next, completeKey ? [completeKey.item(next)] : []);
    if (outcome === 'key-taken') throw keyInUse();
    if (outcome === 'changed') throw problems.conflict('The webhook changed meanwhile; try again.');
    completeKey?.committed();
    return next;
  }

  async deliveries(ownerId: string, id: string, limit: number, startKey?: Record<string, unknown>) {
    await this.get(ownerId, id);
    return this.d.deliveries.page(id, limit, this.d.clock.now(), startKey);
  }

  /** Queues one more attempt of a delivery, now, outside the ordered retries. */
  async redeliver(ownerId: string, id: string, deliveryId: string): Promise<Delivery> {
    await this.get(ownerId, id);
    // Kept 30 days: one past them is not found, as the list no longer shows it.
    const delivery = /^msg_[0-9A-Z]{26}$/.test(deliveryId) ? await this.d.deliveries.get(id, deliveryId, this.d.clock.now()) : undefined;
    if (!delivery) throw problems.notFound('Delivery not found.');
    // Its own id: the worker attempts it once however often the queue hands the message (DeliveriesRepository.onceForRedelivery).
    await this.d.queue.send({ webhookId: id, ownerId, deliveryId, redelivery: true, redeliveryId: newId(this.d.clock.now().getTime()) }, 0);
    return delivery;
  }

  /**
   * Lists the owner as a watcher of every budget an enabled webhook may send events of (its
   * budgetIds, or all the owner's budgets), so the fan-out no longer skips them. Called AFTER
   * the webhook is stored: a fan-out that read the watchers before this mark and the webhooks
   * before the store records nothing (the mark moved the watchers' gen), and one that reads
   * after finds the webhook. Budgets the owner joins later are marked by the joining itself.
   */
  private async watch(webhook: Webhook): Promise<void> {
    const budgetIds = await this.watchedBudgets(webhook);
    if (budgetIds) await this.d.watchers!.addEventWatcher(budgetIds, webhook.ownerId);
  }

  /** The budgets whose watchers an enabled webhook joins (its budgetIds, or all its owner's); undefined without the hint or disabled. */
  private async watchedBudgets(webhook: Webhook): Promise<string[] | undefined> {
    if (!this.d.watchers || webhook.status !== 'enabled') return undefined;
    return webhook.budgetIds ?? (await this.d.watchers.budgetIdsOf(webhook.ownerId));
  }

  /**
   * The url (SSRF guard) and the budgets together: one 400 names every bad field, as every
   * validation does. One after the other, a refused url was answered alone, and a budget the
   * owner cannot read was left for the next attempt (until feat/hooks). Either alone keeps its
   * own answer (the url's detail says why it is refused).
   */
  private async checkInput(ownerId: string, url: string | undefined, budgetIds: string[] | null | undefined, kept: readonly string[] = []): Promise<void> {
    const refusals = (await Promise.all([url === undefined ? undefined : checkWebhookUrl(url, this.d.urlPolicy), this.checkBudgets(ownerId, budgetIds, kept)].map(refusedField))).filter(
      (r): r is ProblemError => r !== undefined,
    );
    if (refusals.length === 1) throw refusals[0]!;
    if (refusals.length > 1) throw problems.validation(refusals.flatMap((r) => r.extras.errors ?? []), `${refusals[0]!.detail} And budgetIds names a budget you cannot read.`);
  }

  /** A 400 naming each of `budgetIds` (but those `kept`: named by the webhook already) its owner cannot read. */
  private async checkBudgets(ownerId: string, budgetIds: string[] | null | undefined, kept: readonly string[] = []): Promise<void> {
    if (!budgetIds) return;
    const visible = await Promise.all(budgetIds.map((b) => (kept.includes(b) ? true : this.d.budgets.getAccess(b, ownerId))));
    const errors = budgetIds.flatMap((b, i) => (visible[i] ? [] : [{ path: `budgetIds.${i}`, message: `No budget ${b} that you can read` }]));
    if (errors.length > 0) throw problems.validation(errors);
  }
}

/** A check's validation refusal (a 400 naming fields) as a value, to answer with the others'; anything else thrown as is. */
async function refusedField(check: Promise<unknown> | undefined): Promise<ProblemError | undefined> {
  try {
    await check;
    return undefined;
  } catch (err) {
    if (err instanceof ProblemError && err.slug === 'validation-error') return err;
    throw err;
  }
}
