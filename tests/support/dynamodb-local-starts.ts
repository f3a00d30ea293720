import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../packages/app/src/local/dynamodb-local';

/**
 * The DynamoDB Local start of every project of the run that asks for one, begun all at once by
 * the first project's global setup (see startsOfThisRun).
 *
 * Vitest 4 runs the projects' global setups one after another (Vitest.initializeGlobalSetup awaits
 * each project's before the next one's), and each of ours waited for its own JVM to answer: three
 * JVMs booting in a row (about 4 s each alone, 7-14 s under load) before the first test. Started
 * together they boot side by side; each project still gets its OWN instance (isolation between the
 * projects is deliberate) and its setup still waits for that one to answer.
 *
 * Kept on globalThis: each project imports its global setup through its own module runner, so
 * module state is not shared between them, while the process (and its globalThis) is.
 */
const REGISTRY = Symbol.for('budgeting.tests.dynamoDbLocalStarts');
type Starts = Map<string, Promise<DynamoDbLocal>>;

function starts(): Starts {
  const g = globalThis as { [REGISTRY]?: Starts };
  return (g[REGISTRY] ??= new Map());
}

/**
 * The start of `project`'s DynamoDB Local, begun now together with that of every other project
 * of this run whose global setups include `setupFile` (and which has test files in the run:
 * `vitest run some.test.ts` starts only the instance of that file's project).
 */
export function startOf(project: TestProject, setupFile: string): Promise<DynamoDbLocal> {
  const all = starts();
  for (const name of projectsOfThisRun(project, setupFile)) {
    if (all.has(name)) continue;
    const start = startDynamoDbLocal({ forTestRun: tunedForTestRun(name) });
    // Awaited by its project's setup; a failure of one not awaited yet must not crash the run
    // as an unhandled rejection before that setup reports it.
    start.catch(() => {});
    all.set(name, start);
  }
  return all.get(project.name) ?? startDynamoDbLocal({ forTestRun: tunedForTestRun(project.name) });
}

/**
 * Whether a project's instance gets the test-run JVM flags (dynamodb-local.ts TEST_RUN_JVM_FLAGS:
 * C1 only, serial GC). Not the heavy project's: measured when it ran alone after the others, with
 * CPU to spare (2 heavy files: 40 s of CPU in 24 s on 2 cores), C1's slower code showed instead: the same
 * 2 files (pagination, search-paging) took 25.7 s and 26.4 s against 23.9 s and 24.5 s with the
 * JVM's defaults (2026-12-06, interleaved), for 27% less CPU; and its races of dozens of writers
 * depend on the latency (webhooks/sequence-race.test.ts moved there for it). main and isolated
 * run side by side with the unit project (and, in npm test, the heavy process: tests/run.mjs) and
 * keep both cores busy: there the CPU saved is time saved.
 */
function tunedForTestRun(projectName: string): boolean {
  return projectName !== 'heavy';
}

/**
 * Stops every instance started for this run but the given project's (which is its setup's to
 * stop): a setup that fails ends the run before the later projects' setups (and teardowns) run.
 */
export async function stopOthers(project: TestProject): Promise<void> {
  const others = [...starts()].filter(([name]) => name !== project.name);
  await Promise.all(others.map(([, start]) => start.then((d) => d.stop(), () => undefined)));
}

/** The names of the run's projects (those with test files to run) whose global setups include `setupFile`. */
function projectsOfThisRun(project: TestProject, setupFile: string): Set<string> {
  const vitest = project.vitest;
  const names = new Set<string>([project.name]);
  for (const path of vitest.state.getPaths()) {
    for (const spec of vitest.getModuleSpecifications(path)) {
      if (spec.project.config.globalSetup.includes(setupFile)) names.add(spec.project.name);
    }
  }
  return names;
}
