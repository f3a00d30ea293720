/**
 * The condition "the profile's session epoch is `epoch`" (see User.sessionEpoch), for the
 * profile item. Profiles whose password never changed have no attribute: that reads as 0.
 * Value placeholder: `:epoch`.
 */
export function sessionEpochIs(epoch: number): { condition: string; values: Record<string, number> } {
  return {
    condition: epoch === 0 ? '(attribute_not_exists(sessionEpoch) OR sessionEpoch = :epoch)' : 'sessionEpoch = :epoch',
    values: { ':epoch': epoch },
  };
}
