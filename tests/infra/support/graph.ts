import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The resource graph of one rehearsal (tests/infra/support/rehearse.mjs): every resource SST and
 * infra/ registered, as Pulumi would have sent it to AWS. Physical names carry random suffixes,
 * so assertions find resources by type, component and cross-reference (an ARN in one resource's
 * inputs is another resource's output), never by literal name.
 */
export interface RecordedResource {
  type: string;
  /** Pulumi (logical) name, e.g. `TableTable` for the table inside the `Table` component. */
  name: string;
  urn: string;
  /** URN of the parent: the SST component that created it, or the stack. */
  parent?: string;
  custom: boolean;
  inputs: Record<string, any>;
  outputs: Record<string, any>;
  options: { protect: boolean; retainOnDelete: boolean; deleteBeforeReplace: boolean; ignoreChanges: string[] };
}

export interface Rehearsal {
  stage: string;
  app: { name: string; stage: string; removal: string; protect: boolean; providers: Record<string, unknown> };
  resources: RecordedResource[];
  calls: { token: string; inputs: any }[];
  rpc: string[];
  /** Runtime.Build requests: what SST would have bundled for each function. */
  builds: any[];
  outputs: Record<string, any>;
}

export interface PolicyStatement {
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: Record<string, string | string[]>;
  Condition?: Record<string, Record<string, string[]>>;
}
export interface PolicyDocument {
  Version: string;
  Statement: PolicyStatement[];
}

const rehearseScript = fileURLToPath(new URL('./rehearse.mjs', import.meta.url));

export interface Mutation {
  /** Path relative to the repository, e.g. `infra/triggers.ts`. */
  file: string;
  find: string;
  replace: string;
}

/** Runs the rehearsal of one stage in a child process (Pulumi's runtime state is per process). */
export async function rehearse(stage: string, options: { mutations?: Mutation[]; env?: Record<string, string> } = {}): Promise<Graph> {
  const dir = mkdtempSync(join(tmpdir(), 'rehearsal-graph-'));
  const out = join(dir, `${stage}.json`);
  try {
    await new Promise<void>((resolve, reject) => {
      execFile(
        process.execPath,
        [rehearseScript, stage, out],
        {
          env: { ...process.env, ...options.env, REHEARSAL_MUTATIONS: JSON.stringify(options.mutations ?? []) },
          maxBuffer: 16 * 1024 * 1024,
          timeout: 120_000,
        },
        (error, _stdout, stderr) => (error ? reject(new Error(`rehearsal of stage "${stage}" failed:\n${stderr}`)) : resolve()),
      );
    });
    return new Graph(JSON.parse(readFileSync(out, 'utf8')) as Rehearsal);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export class Graph {
  constructor(readonly rehearsal: Rehearsal) {}

  get resources(): RecordedResource[] {
    return this.rehearsal.resources;
  }

  /** All resources of a type, e.g. `aws:cloudwatch/eventRule:EventRule`. */
  all(type: string): RecordedResource[] {
    return this.resources.filter((r) => r.type === type);
  }

  /** The one resource of a type (optionally among the children of `parent`); fails if there are 0 or 2+. */
  one(type: string, parent?: RecordedResource): RecordedResource {
    const found = (parent ? this.childrenOf(parent) : this.resources).filter((r) => r.type === type);
    if (found.length !== 1) {
      throw new Error(`expected exactly one ${type}${parent ? ` under ${parent.name}` : ''}, found ${found.length}: ${found.map((r) => r.name).join(', ')}`);
    }
    return found[0]!;
  }

  /** The SST component of that type and name, e.g. ('sst:aws:Queue', 'DeadLetters'). */
  component(type: string, name: string): RecordedResource {
    const found = this.resources.find((r) => r.type === type && r.name === name);
    if (!found) throw new Error(`no component ${type} named ${name}; components: ${this.components().join(', ')}`);
    return found;
  }

  components(): string[] {
    return this.resources.filter((r) => !r.custom).map((r) => `${r.type} ${r.name}`);
  }

  /** Direct children of a resource (SST components parent the AWS resources they create). */
  childrenOf(parent: RecordedResource): RecordedResource[] {
    return this.resources.filter((r) => r.parent === parent.urn);
  }

  /** The AWS resource of a type inside an SST component, e.g. the aws:sqs/queue:Queue of the DeadLetters queue. */
  inside(component: RecordedResource, type: string): RecordedResource {
    return this.one(type, component);
  }

  /** The resource whose output `attribute` (default `arn`) is `value`, i.e. what an ARN in some input points at. */
  byOutput(value: unknown, attribute = 'arn'): RecordedResource | undefined {
    return this.resources.find((r) => r.custom && r.outputs[attribute] !== undefined && r.outputs[attribute] === value);
  }

  /** Same, but fails when nothing in the graph has that output. */
  target(value: unknown, attribute = 'arn'): RecordedResource {
    const found = this.byOutput(value, attribute);
    if (!found) throw new Error(`nothing in the graph has ${attribute} = ${JSON.stringify(value)}`);
    return found;
  }

  /** The IAM policy documents attached inline to a role. */
  inlinePolicies(role: RecordedResource): PolicyDocument[] {
    return (role.inputs.inlinePolicies ?? []).map((p: { policy: string }) => JSON.parse(p.policy) as PolicyDocument);
  }
}

/** Action / Resource fields as lists. */
export function list(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}
