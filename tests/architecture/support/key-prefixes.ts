import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { MODULES } from '../dependency-rules.mjs';

export interface KeyFinding {
  file: string;
  line: number;
  text: string;
  problem: string;
}

/**
 * Static half of "a module uses only its own key prefixes" (the ModuleStore checks every key
 * at run time): in each module's source, reports
 * - string and template literals that start with ANOTHER module's prefix ("budgets#..." in users),
 * - `storeFor(x)` / `new ModuleStore(x, ...)` unless x is the module's own name as a literal
 *   (a store for another module would pass the run-time check with that module's keys),
 * - `.key(x, ...)` whose first part names another module or carries its prefix.
 */
export function findForeignKeyPrefixes(rootDir: string): KeyFinding[] {
  const findings: KeyFinding[] = [];
  for (const module of MODULES) {
    const src = join(rootDir, 'packages', module, 'src');
    for (const file of sourceFiles(src)) {
      const text = readFileSync(file, 'utf8');
      const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
      const report = (node: ts.Node, problem: string) =>
        findings.push({
          file: relative(rootDir, file),
          line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1,
          text: node.getText(sf),
          problem,
        });
      const foreignPrefix = (value: string) => {
        const prefix = /^([a-z][a-z0-9-]*)#/.exec(value)?.[1];
        return prefix && prefix !== module && MODULES.includes(prefix) ? prefix : undefined;
      };
      const visit = (node: ts.Node) => {
        if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node)) {
          const other = foreignPrefix(node.text);
          if (other) report(node, `key literal with the "${other}#" prefix of module ${other}`);
        }
        if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
          const callee = calleeName(node);
          const first = node.arguments?.[0];
          if (callee === 'storeFor' || (ts.isNewExpression(node) && callee === 'ModuleStore')) {
            if (!first || !ts.isStringLiteralLike(first)) report(node, `${callee}() with a module name that is not a literal`);
            else if (first.text !== module) report(node, `${callee}('${first.text}') gives ${module} the store of another module`);
          }
          if (callee === 'key' && first && ts.isStringLiteralLike(first) && first.text !== module && MODULES.includes(first.text)) {
            report(node, `key part "${first.text}" names another module`);
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(sf);
    }
  }
  return findings;
}

function calleeName(node: ts.CallExpression | ts.NewExpression): string | undefined {
  const e = node.expression;
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return undefined;
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('.ts') && !d.name.endsWith('.test.ts'))
    .map((d) => join(d.parentPath, d.name));
}
