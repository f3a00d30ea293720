import { cruise, type ICruiseResult, type IViolation } from 'dependency-cruiser';
// The same rules the depcruise CLI uses (.dependency-cruiser.mjs).
import { architectureConfig } from '../dependency-rules.mjs';

export interface Finding {
  rule: string;
  from: string;
  to: string;
  /** For cycles: the modules around the cycle. */
  cycle?: string[];
}

export interface TreeReport {
  findings: Finding[];
  /** Package -> packages it imports (any import, type-only included). */
  packageGraph: Map<string, Set<string>>;
  /** Cycles in packageGraph, e.g. ['users', 'budgets', 'users']. */
  packageCycles: string[][];
}

/** Runs dependency-cruiser with the architecture rules over rootDir/packages. */
export async function checkTree(rootDir: string): Promise<TreeReport> {
  const config = architectureConfig(rootDir);
  const result = await cruise(['packages'], {
    ...config.options,
    baseDir: rootDir,
    validate: true,
    ruleSet: { forbidden: config.forbidden },
  });
  const output = result.output as ICruiseResult;
  const findings = output.summary.violations.map((v: IViolation) => ({
    rule: v.rule.name,
    from: v.from,
    to: v.to,
    ...(v.cycle ? { cycle: v.cycle.map((c) => c.name) } : {}),
  }));
  const packageGraph = foldIntoPackages(output);
  return { findings, packageGraph, packageCycles: findCycles(packageGraph) };
}

const packageOf = (path: string) => path.match(/^packages\/([^/]+)\//)?.[1];

function foldIntoPackages(output: ICruiseResult): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const module of output.modules) {
    const from = packageOf(module.source);
    if (!from) continue;
    if (!graph.has(from)) graph.set(from, new Set());
    for (const dep of module.dependencies) {
      const to = packageOf(dep.resolved);
      if (to && to !== from) graph.get(from)!.add(to);
    }
  }
  return graph;
}

/** Every elementary cycle found by depth-first search, each reported once (from its smallest name). */
export function findCycles(graph: Map<string, Set<string>>): string[][] {
  const cycles = new Map<string, string[]>();
  const walk = (path: string[]) => {
    const last = path[path.length - 1]!;
    for (const next of graph.get(last) ?? []) {
      const at = path.indexOf(next);
      if (at >= 0) {
        const loop = path.slice(at);
        const start = loop.indexOf([...loop].sort()[0]!);
        const canonical = [...loop.slice(start), ...loop.slice(0, start)];
        cycles.set(canonical.join('>'), [...canonical, canonical[0]!]);
      } else {
        walk([...path, next]);
      }
    }
  };
  for (const node of graph.keys()) walk([node]);
  return [...cycles.values()];
}
