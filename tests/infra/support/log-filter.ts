/**
 * CloudWatch Logs JSON filter patterns, evaluated as CloudWatch does for the subset infra/
 * uses: `{ <term> }` where a term is `$.a.b = "text"` or `$.a.b != "text"` (a `*` in the text
 * matches any run of characters), terms joined by `&&` and `||` (`&&` binds tighter) and
 * grouped with parentheses. A line that is not JSON never matches. Anything outside this subset
 * throws, so a pattern this cannot read fails the check instead of passing it.
 */
export function matchesLogFilter(pattern: string, line: string): boolean {
  let event: unknown;
  try {
    event = JSON.parse(line);
  } catch {
    return false;
  }
  const body = /^\s*\{(.*)\}\s*$/s.exec(pattern);
  if (!body) throw new Error(`not a JSON filter pattern: ${pattern}`);
  const tokens = tokenize(body[1]!);
  let at = 0;
  const peek = () => tokens[at];
  const take = (expected?: string) => {
    const token = tokens[at++];
    if (token === undefined || (expected !== undefined && token !== expected)) throw new Error(`filter pattern ${pattern}: expected ${expected ?? 'more'}, got ${token ?? 'the end'}`);
    return token;
  };
  const or = (): boolean => {
    let value = and();
    while (peek() === '||') {
      take();
      value = and() || value;
    }
    return value;
  };
  const and = (): boolean => {
    let value = term();
    while (peek() === '&&') {
      take();
      value = term() && value;
    }
    return value;
  };
  const term = (): boolean => {
    if (peek() === '(') {
      take('(');
      const value = or();
      take(')');
      return value;
    }
    const selector = take();
    if (!/^\$(\.[A-Za-z_][\w]*)+$/.test(selector)) throw new Error(`filter pattern ${pattern}: unsupported selector ${selector}`);
    const operator = take();
    if (operator !== '=' && operator !== '!=') throw new Error(`filter pattern ${pattern}: unsupported operator ${operator}`);
    const quoted = take();
    if (!/^".*"$/.test(quoted)) throw new Error(`filter pattern ${pattern}: only quoted text is supported, got ${quoted}`);
    const actual = selector.slice(2).split('.').reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), event);
    const wanted = new RegExp(`^${quoted.slice(1, -1).split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    const equal = typeof actual === 'string' && wanted.test(actual);
    return operator === '=' ? equal : actual !== undefined && !equal;
  };
  const value = or();
  if (at !== tokens.length) throw new Error(`filter pattern ${pattern}: unexpected ${tokens[at]}`);
  return value;
}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const re = /\s*("(?:[^"\\]|\\.)*"|\|\||&&|!=|=|\(|\)|[^\s()="!|&]+)/y;
  let position = 0;
  while (text.slice(position).trim() !== '') {
    re.lastIndex = position;
    const match = re.exec(text);
    if (!match) throw new Error(`filter pattern: cannot read ${text.slice(position)}`);
    tokens.push(match[1]!);
    position = re.lastIndex;
  }
  return tokens;
}
