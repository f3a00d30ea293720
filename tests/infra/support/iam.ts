import { list, type PolicyDocument, type PolicyStatement } from './graph';

/**
 * IAM's evaluation of identity policies, reduced to what these tests need: `*` and `?`
 * wildcards (actions case-insensitive, resources case-sensitive), Action/NotAction,
 * Resource/NotResource, and an explicit Deny beating any Allow. An Allow with a Condition
 * is not counted (the rehearsal cannot know the request context); a Deny with one is.
 * (IAM User Guide, "Policy evaluation logic" and "IAM JSON policy elements".)
 */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, ignoreCase ? 'i' : '').test(value);
}

function matchesAction(statement: PolicyStatement, action: string): boolean {
  if (statement.Action !== undefined) return list(statement.Action).some((p) => wildcardMatch(p, action, true));
  if (statement.NotAction !== undefined) return !list(statement.NotAction).some((p) => wildcardMatch(p, action, true));
  return false;
}

function matchesResource(statement: PolicyStatement, resource: string): boolean {
  if (statement.Resource !== undefined) return list(statement.Resource).some((p) => wildcardMatch(p, resource));
  if (statement.NotResource !== undefined) return !list(statement.NotResource).some((p) => wildcardMatch(p, resource));
  return false;
}

export function isAllowed(documents: PolicyDocument[], action: string, resource: string): boolean {
  const statements = documents.flatMap((d) => d.Statement);
  const applies = (s: PolicyStatement) => matchesAction(s, action) && matchesResource(s, resource);
  if (statements.some((s) => s.Effect === 'Deny' && applies(s))) return false;
  return statements.some((s) => s.Effect === 'Allow' && !s.Condition && applies(s));
}
