/**
 * For infra/: the input transformer of a subscription's bus rule. It hands the function the
 * event in its usual EventBridge shape (so the trigger dispatcher still recognises a bus
 * event) but with `resources` = [the rule's ARN], which bus-delivery uses to run only that
 * rule's subscription. Without it, an event matching two rows would run both subscriptions
 * on each of the two invocations (still correct thanks to the inboxes, but twice the work
 * and one subscriber's failure would retry the other).
 *
 * Dependency-free on purpose: SST evaluates infra/ at deploy time.
 * Variables are JSON values substituted as such (strings arrive quoted); `detail` stays an
 * object. (EventBridge user guide, "Amazon EventBridge input transformation".)
 */
export const SUBSCRIPTION_RULE_INPUT = {
  inputPathsMap: {
    version: '$.version',
    id: '$.id',
    detailType: '$.detail-type',
    source: '$.source',
    account: '$.account',
    time: '$.time',
    region: '$.region',
    detail: '$.detail',
  },
  inputTemplate:
    '{"version":<version>,"id":<id>,"detail-type":<detailType>,"source":<source>,"account":<account>,' +
    '"time":<time>,"region":<region>,"resources":[<aws.events.rule-arn>],"detail":<detail>}',
} as const;
