/**
 * A merchant rename's stall failure as the DynamoDB client sends it (MerchantRenamesRepository
 * failStalled): ONE TransactWriteItems of the record's update, conditioned on the `updatedAt`
 * read (`:seen`), and the rename's expense.merchant_rename_finished. For the tests' middleware
 * that count (or hold) these writes.
 */
export function isStallWrite(commandName: string | undefined, input: unknown): boolean {
  if (commandName !== 'TransactWriteItemsCommand') return false;
  const items = (input as { TransactItems?: { Update?: { UpdateExpression?: string; ConditionExpression?: string } }[] }).TransactItems ?? [];
  return items.some((i) => i.Update?.UpdateExpression?.includes('failure = :reason') === true && i.Update.ConditionExpression?.includes(':seen') === true);
}
