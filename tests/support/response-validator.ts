import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

/**
 * Checks real responses against the OpenAPI 3.1 document, in process (what Prism's proxy
 * mode does, without a proxy): the status must be documented for the operation, the media
 * type must be one the response declares, a JSON body must match its schema (JSON Schema
 * 2020-12 through Ajv, formats such as date-time included), a body-less response must
 * declare no content, and every header of ours that the response carries must be documented.
 */
// ajv-formats is CommonJS with a default export; under ESM interop it may arrive wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule);

/** Response headers the API sets itself; each one a response carries must be in the document. */
const OUR_HEADERS = ['etag', 'idempotent-replayed', 'x-request-id', 'retry-after', 'location', 'allow', 'vary',
  'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'ratelimit-policy', 'ratelimit', 'content-disposition', 'www-authenticate', 'cache-control', 'preference-applied'];

export interface Exchange {
  method: string;
  url: string;
  status: number;
  headers: Headers;
  body: string;
}

export function responseValidator(document: any) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(document, 'openapi.json', undefined, false);
  const compiled = new Map<string, ValidateFunction>();
  const validatorAt = (pointer: string) => {
    let fn = compiled.get(pointer);
    if (!fn) compiled.set(pointer, (fn = ajv.compile({ $ref: `openapi.json#${pointer}` })));
    return fn;
  };
  const templates = Object.keys(document.paths).map((path) => ({
    path,
    regex: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\\{[^}]+\\\}|\{[^}]+\}/g, '[^/]+')}$`),
    // A literal segment beats a parameter (/reports/html before /reports/{reportId}).
    params: (path.match(/\{/g) ?? []).length,
  }));
  const escape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

  /** The operation an exchange belongs to, e.g. "get /v1/budgets/{budgetId}", or undefined. */
  function operationOf(method: string, url: string): { path: string; method: string } | undefined {
    const pathname = new URL(url, 'http://localhost').pathname;
    const match = templates.filter((t) => t.regex.test(pathname)).sort((a, b) => a.params - b.params)[0];
    const m = method.toLowerCase();
    return match && document.paths[match.path][m] ? { path: match.path, method: m } : undefined;
  }

  /** The violations of one exchange (empty when it conforms). */
  function violations(x: Exchange): string[] {
    const where = `${x.method} ${new URL(x.url, 'http://localhost').pathname} -> ${x.status}`;
    const op = operationOf(x.method, x.url);
    if (!op) return [`${where}: no such operation in the document`];
    const operation = document.paths[op.path][op.method];
    const code = String(x.status);
    const key = code in operation.responses ? code : 'default' in operation.responses ? 'default' : undefined;
    if (!key) return [`${where}: status ${code} is not documented`];
    let response = operation.responses[key];
    let pointer = `/paths/${escape(op.path)}/${op.method}/responses/${key}`;
    if (response.$ref) {
      pointer = response.$ref.slice(1);
      response = pointer.split('/').slice(1).reduce((o: any, k: string) => o[k.replace(/~1/g, '/').replace(/~0/g, '~')], document);
    }
    const problems: string[] = [];
    const documentedHeaders = Object.keys(response.headers ?? {}).map((h) => h.toLowerCase());
    for (const name of OUR_HEADERS) {
      if (x.headers.has(name) && !documentedHeaders.includes(name)) problems.push(`${where}: header ${name} is not documented`);
    }
    const type = (x.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const content = response.content as Record<string, { schema?: unknown }> | undefined;
    if (x.body === '') {
      if (content && Object.keys(content).length > 0 && x.status !== 304) problems.push(`${where}: empty body, but the document declares ${Object.keys(content).join(', ')}`);
      return problems;
    }
    if (!content?.[type]) return [...problems, `${where}: media type ${type || '(none)'} is not documented (${Object.keys(content ?? {}).join(', ') || 'no content'})`];
    if (!content[type]!.schema) return problems;
    const validate = validatorAt(`${pointer}/content/${escape(type)}/schema`);
    let value: unknown = x.body;
    if (type === 'application/json' || type.endsWith('+json')) {
      try {
        value = JSON.parse(x.body);
      } catch {
        return [...problems, `${where}: body is not JSON`];
      }
    }
    if (!validate(value)) {
      problems.push(...(validate.errors ?? []).map((e) => `${where}: body${e.instancePath} ${e.message} (${e.schemaPath})`));
    }
    return problems;
  }

  return { violations, operationOf };
}
