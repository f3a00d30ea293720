#!/usr/bin/env node
// The infrastructure rehearsal: runs the real SST program (sst.config.ts + infra/, with SST's
// components from .sst/platform) offline under Pulumi's unit-test mocks and writes the whole
// resource graph as JSON. No AWS account, no SST CLI, no network.
//
//   node tests/infra/support/rehearse.mjs <stage> <out.json> [<config>]
//
// It does what `sst deploy` does up to the point where Pulumi would talk to AWS:
// - evaluates app() and bundles the config with esbuild like the CLI (pkg/project/stack.go,
//   pkg/js/js.go): `$app`/`$cli`/`$dev` defined, SST's shim injected, `sst` and the providers
//   (`aws`) imported into every file outside .sst/;
// - answers the CLI's local RPC server (SST_SERVER) in process, for the two methods a deploy
//   of this app calls: Provider.Aws.Bootstrap (the asset bucket) and Runtime.Build (bundling the
//   function: the request is recorded, nothing is built);
// - gives every secret a placeholder value (SST_SECRET_<Name>), as the CLI does from its store;
// - runs SST's run() inside pulumi.runtime.runInPulumiStack (it registers stack transformations)
//   with mocks that record every resource (type, name, inputs, parent, options) and answer the
//   provider functions SST and infra/ call (getRegion, getPartition, getCallerIdentity,
//   getPolicyDocument, which renders the real policy JSON).
// Anything else (an unknown provider function, an unknown RPC, an error inside the program)
// makes the run fail: a rehearsal that silently skipped part of the program would prove nothing.
import { createServer } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const platformDir = join(root, '.sst/platform');

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const PARTITION = 'aws';

const [stage, outFile, configArg] = process.argv.slice(2);
if (!stage || !outFile) {
  console.error('usage: node tests/infra/support/rehearse.mjs <stage> <out.json> [<sst.config.ts>]');
  process.exit(2);
}
const configFile = resolve(configArg ?? join(root, 'sst.config.ts'));

/**
 * Deliberate breakage for the mutant check (tests/infra/mutants.test.ts): REHEARSAL_MUTATIONS is
 * a JSON list of { file, find, replace } applied to the source of that file (relative to the
 * repository) as it is bundled. A mutation whose `find` is not in the file fails the run, so a
 * stale mutant cannot pass for a caught one.
 */
const mutations = JSON.parse(process.env.REHEARSAL_MUTATIONS || '[]').map((m) => ({ ...m, applied: 0 }));

function mutate(path, contents) {
  let out = contents;
  for (const m of mutations) {
    if (resolve(root, m.file) !== path) continue;
    if (!out.includes(m.find)) continue;
    out = out.replaceAll(m.find, m.replace);
    m.applied++;
  }
  return out;
}

/** Problems that must fail the run; reported together at the end. */
const problems = [];
process.on('unhandledRejection', (error) => problems.push(`unhandled rejection: ${error?.stack ?? error}`));

function assertPlatformInstalled() {
  const wanted = JSON.parse(readFileSync(join(root, 'node_modules/sst/package.json'), 'utf8')).version;
  const versionFile = join(platformDir, 'version');
  const found = existsSync(versionFile) ? readFileSync(versionFile, 'utf8').trim() : undefined;
  if (found !== wanted || !existsSync(join(platformDir, 'node_modules/@pulumi/pulumi'))) {
    console.error(
      `rehearsal: SST ${wanted}'s platform is not installed in .sst/platform (found ${found ?? 'none'}). ` +
        'Run `npm run typecheck` (or `node infra/sst-platform.mjs`) once, with network access, to run `sst install`.',
    );
    process.exit(3);
  }
}

// ---------------------------------------------------------------------------------------------
// The CLI's RPC server, in process.

const rpcCalls = [];
const buildRequests = [];
const scratch = mkdtempSync(join(tmpdir(), 'sst-rehearsal-'));

/** Runtime.Build: record what SST would bundle and hand back a stand-in bundle folder. */
function runtimeBuild(input) {
  buildRequests.push(input);
  const out = join(scratch, 'bundles', input.functionID);
  const handlerFile = `${input.handler.replace(/\.[^./]+$/, '')}.mjs`;
  mkdirSync(dirname(join(out, handlerFile)), { recursive: true });
  writeFileSync(join(out, handlerFile), 'export const handler = () => {};\n');
  return { handler: input.handler, out, errors: [], sourcemaps: [] };
}

const rpcMethods = {
  'Provider.Aws.Bootstrap': ({ region }) => ({
    asset: `sst-asset-rehearsal-${region}`,
    assetEcrRegistryId: ACCOUNT,
    assetEcrUrl: `${ACCOUNT}.dkr.ecr.${region}.amazonaws.com/sst-asset`,
    state: `sst-state-rehearsal-${region}`,
    appsyncHttp: '',
    appsyncRealtime: '',
  }),
  'Runtime.Build': runtimeBuild,
};

function startRpcServer() {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', async () => {
      let reply;
      try {
        const { method, params } = JSON.parse(body);
        rpcCalls.push(method);
        const handler = rpcMethods[method];
        if (!handler) {
          problems.push(`unexpected RPC to the SST CLI: ${method}`);
          reply = { error: `rehearsal: no stand-in for RPC method ${method}` };
        } else {
          reply = { result: await handler(params[0]) };
        }
      } catch (error) {
        problems.push(`RPC failed: ${error?.stack ?? error}`);
        reply = { error: String(error) };
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply));
    });
  });
  return new Promise((ready) => server.listen(0, '127.0.0.1', () => ready(server)));
}

// ---------------------------------------------------------------------------------------------
// Pulumi mocks: provider functions and resource outputs.

/** The policy JSON AWS's provider renders from getPolicyDocument statements (one-element lists stay lists). */
function renderPolicyDocument(inputs) {
  const principalBlock = (principals) =>
    principals?.length ? Object.fromEntries(principals.map((p) => [p.type === '*' ? 'AWS' : p.type, p.identifiers])) : undefined;
  const statements = (inputs.statements ?? []).map((s) => {
    const out = {};
    if (s.sid) out.Sid = s.sid;
    out.Effect = s.effect ?? 'Allow';
    if (s.actions) out.Action = s.actions;
    if (s.notActions) out.NotAction = s.notActions;
    if (s.resources) out.Resource = s.resources;
    if (s.notResources) out.NotResource = s.notResources;
    if (s.principals) out.Principal = principalBlock(s.principals);
    if (s.notPrincipals) out.NotPrincipal = principalBlock(s.notPrincipals);
    if (s.conditions?.length) {
      out.Condition = {};
      for (const c of s.conditions) (out.Condition[c.test] ??= {})[c.variable] = c.values;
    }
    return out;
  });
  return JSON.stringify({ Version: inputs.version ?? '2012-10-17', Statement: statements });
}

const invokes = {
  'aws:index/getRegion:getRegion': () => ({ id: REGION, name: REGION, region: REGION, description: 'Europe (Ireland)', endpoint: `ec2.${REGION}.amazonaws.com` }),
  'aws:index/getPartition:getPartition': () => ({ id: PARTITION, partition: PARTITION, dnsSuffix: 'amazonaws.com', reverseDnsPrefix: 'com.amazonaws' }),
  'aws:index/getCallerIdentity:getCallerIdentity': () => ({ id: ACCOUNT, accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/rehearsal`, userId: 'AIDAREHEARSAL' }),
  // The provider echoes its arguments next to the rendered JSON (SST's Function reads `statements` back).
  'aws:iam/getPolicyDocument:getPolicyDocument': (inputs) => ({
    ...inputs,
    id: 'policy',
    json: renderPolicyDocument(inputs),
    minifiedJson: renderPolicyDocument(inputs),
  }),
};

const arnOf = (service, resource, region = REGION) => `arn:${PARTITION}:${service}:${region}:${ACCOUNT}:${resource}`;

/** Outputs AWS would compute, keyed by resource type; ARNs are built from the physical name. */
function computedOutputs(type, physical, inputs) {
  switch (type) {
    case 'aws:dynamodb/table:Table': {
      const arn = arnOf('dynamodb', `table/${physical}`);
      return { arn, streamArn: inputs.streamEnabled ? `${arn}/stream/2026-01-01T00:00:00.000` : undefined, streamLabel: '2026-01-01T00:00:00.000' };
    }
    case 'aws:sqs/queue:Queue':
      return { arn: arnOf('sqs', physical), url: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${physical}` };
    case 'aws:cloudwatch/eventBus:EventBus':
      return { arn: arnOf('events', `event-bus/${physical}`) };
    case 'aws:cloudwatch/eventRule:EventRule': {
      const bus = inputs.eventBusName && inputs.eventBusName !== 'default' ? `${inputs.eventBusName}/` : '';
      return { arn: arnOf('events', `rule/${bus}${physical}`) };
    }
    case 'aws:iam/role:Role':
      return { arn: `arn:${PARTITION}:iam::${ACCOUNT}:role/${physical}`, uniqueId: 'AROAREHEARSAL' };
    case 'aws:lambda/function:Function': {
      const arn = arnOf('lambda', `function:${physical}`);
      return { arn, qualifiedArn: `${arn}:$LATEST`, invokeArn: `arn:${PARTITION}:apigateway:${REGION}:lambda:path/2015-03-31/functions/${arn}/invocations`, version: '$LATEST' };
    }
    case 'aws:cloudwatch/logGroup:LogGroup':
      return { arn: arnOf('logs', `log-group:${physical}`) };
    case 'aws:apigatewayv2/api:Api':
      return { apiEndpoint: `https://${physical}.execute-api.${REGION}.amazonaws.com`, executionArn: arnOf('execute-api', physical) };
    case 'aws:lambda/eventSourceMapping:EventSourceMapping':
      return { uuid: `${physical}-uuid`, arn: arnOf('lambda', `event-source-mapping:${physical}`) };
    case 'aws:cloudwatch/metricAlarm:MetricAlarm':
      return { arn: arnOf('cloudwatch', `alarm:${physical}`) };
    case 'aws:sns/topic:Topic':
      return { arn: arnOf('sns', physical) };
    default:
      return { arn: arnOf(type.split(':')[1]?.split('/')[0] ?? 'unknown', physical) };
  }
}

// ---------------------------------------------------------------------------------------------

async function bundleConfig(esbuild, { code, inject = [], define = {}, globals = '', outfile }) {
  await esbuild.build({
    stdin: { contents: code, resolveDir: root, sourcefile: 'eval.ts', loader: 'ts' },
    banner: {
      js: [
        "import { createRequire as topLevelCreateRequire } from 'module';",
        'const require = topLevelCreateRequire(import.meta.url);',
        "import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from 'url';",
        'const __filename = topLevelFileUrlToPath(import.meta.url);',
        "const __dirname = topLevelFileUrlToPath(new topLevelURL('.', import.meta.url));",
      ].join('\n'),
    },
    mainFields: ['module', 'main'],
    format: 'esm',
    platform: 'node',
    bundle: true,
    write: true,
    outfile,
    nodePaths: [join(platformDir, 'node_modules')],
    external: ['@pulumi/*', 'undici', '@pulumiverse/*', '@sst-provider/*', '@aws-sdk/*', 'esbuild', 'archiver', 'glob', 'vite'],
    define,
    inject,
    logLevel: 'silent',
    plugins: [
      {
        name: 'InjectGlobals',
        setup(build) {
          build.onLoad({ filter: /\.(js|ts|jsx|tsx)$/ }, (args) => {
            const contents = mutate(args.path, readFileSync(args.path, 'utf8'));
            return { contents: args.path.includes('.sst') ? contents : `${globals}\n${contents}`, loader: 'default' };
          });
        },
      },
    ],
  });
}

/** app() as the CLI normalises it (pkg/project/project.go): string providers become { version }. */
async function evaluateApp(esbuild, bundleDir) {
  const outfile = join(bundleDir, 'app.mjs');
  await bundleConfig(esbuild, {
    code: `import mod from ${JSON.stringify(configFile)}; export default mod;`,
    inject: [join(platformDir, 'src/shim/run.js')],
    outfile,
  });
  const { default: mod } = await import(pathToFileURL(outfile).href);
  const app = { ...mod.app({ stage }) };
  app.stage = stage;
  app.removal ??= 'retain';
  app.protect ??= false;
  app.providers = Object.fromEntries(
    Object.entries(app.providers ?? {}).map(([name, args]) => [name, typeof args === 'string' ? { version: args } : args === true ? {} : args]),
  );
  if (app.home !== 'local' && !app.providers[app.home]) app.providers[app.home] = {};
  return app;
}

// REHEARSAL_TIMING=1 prints where the time goes (loading Pulumi and its AWS provider dominates).
const t0 = Date.now();
const lap = (what) => process.env.REHEARSAL_TIMING && console.error(`${what}: ${Date.now() - t0} ms`);

async function main() {
  assertPlatformInstalled();
  const requireFromPlatform = createRequire(join(platformDir, 'package.json'));
  const pulumi = requireFromPlatform('@pulumi/pulumi');
  const { MockMonitor } = requireFromPlatform('@pulumi/pulumi/runtime/mocks');
  const esbuild = createRequire(join(root, 'package.json'))('esbuild');

  // Inside .sst/platform so the bundle's external imports resolve to the platform's packages.
  const bundleDir = mkdtempSync(join(platformDir, '.rehearsal-'));
  const server = await startRpcServer();
  try {
    lap('loaded');
    const app = await evaluateApp(esbuild, bundleDir);
    lap('app');

    process.env.SST_SERVER = `http://127.0.0.1:${server.address().port}`;
    // Every secret the config declares gets a placeholder, as `sst secret set` would have given it a value.
    for (const name of declaredSecrets()) process.env[`SST_SECRET_${name}`] ??= `rehearsal-placeholder-${name}`;

    const cli = {
      command: 'deploy',
      dev: false,
      paths: { home: join(scratch, 'home'), root, work: join(scratch, 'work'), platform: platformDir },
      state: { version: {} },
    };
    const providerImports = Object.keys(app.providers).map((name) => `import * as ${name} from "@pulumi/${name}";`);
    const outfile = join(bundleDir, 'program.mjs');
    await bundleConfig(esbuild, {
      code: [
        `import { run } from ${JSON.stringify(join(platformDir, 'src/auto/run.ts'))};`,
        `import mod from ${JSON.stringify(configFile)};`,
        'export default () => run(mod.run);',
      ].join('\n'),
      define: { $app: JSON.stringify(app), $cli: JSON.stringify(cli), $dev: 'false' },
      inject: [join(platformDir, 'src/shim/run.js')],
      globals: [...providerImports, `import * as sst from ${JSON.stringify(join(platformDir, 'src/components'))};`].join('\n'),
      outfile,
    });

    const unapplied = mutations.filter((m) => m.applied === 0);
    if (unapplied.length > 0) throw new Error(`mutation not applied (text not found): ${JSON.stringify(unapplied)}`);
    lap('bundled');
    const resources = [];
    const calls = [];
    const requests = new Map();
    // The mocks see a resource's type, name and inputs only; its parent and options are on the request.
    const register = MockMonitor.prototype.registerResource;
    MockMonitor.prototype.registerResource = function (req, callback) {
      requests.set(`${req.getType()}::${req.getName()}`, { req, urn: this.newUrn(req.getParent(), req.getType(), req.getName()) });
      return register.call(this, req, callback);
    };

    await pulumi.runtime.setMocks(
      {
        call(args) {
          calls.push({ token: args.token, inputs: args.inputs });
          const answer = invokes[args.token];
          if (!answer) {
            problems.push(`unexpected provider function call: ${args.token}`);
            throw new Error(`rehearsal: no mock for ${args.token}`);
          }
          return answer(args.inputs);
        },
        newResource(args) {
          const { req, urn } = requests.get(`${args.type}::${args.name}`);
          const parent = req.getParent() || undefined;
          const physical = typeof args.inputs.name === 'string' ? args.inputs.name : args.name;
          const id = args.custom ? `${physical}-id` : undefined;
          const state = args.custom ? { ...args.inputs, name: physical, ...computedOutputs(args.type, physical, args.inputs) } : {};
          resources.push({
            type: args.type,
            name: args.name,
            urn,
            parent,
            custom: Boolean(args.custom),
            inputs: plain(args.inputs),
            outputs: plain({ ...state, id }),
            options: {
              protect: req.getProtect() ?? false,
              retainOnDelete: req.getRetainondelete() ?? false,
              deleteBeforeReplace: req.getDeletebeforereplace() ?? false,
              ignoreChanges: req.getIgnorechangesList() ?? [],
              provider: args.provider || undefined,
            },
          });
          return { id, state };
        },
      },
      app.name,
      stage,
      false,
    );

    const { default: program } = await import(pathToFileURL(outfile).href);
    lap('imported');
    const outputs = await pulumi.runtime.runInPulumiStack(program);
    lap('ran');
    await pulumi.runtime.disconnect();

    const graph = { stage, app, resources, calls, rpc: rpcCalls, builds: buildRequests, outputs: plain(outputs), problems };
    writeFileSync(outFile, JSON.stringify(graph, null, 1));
    lap('written');
  } finally {
    server.close();
    rmSync(bundleDir, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  }
  if (problems.length > 0) {
    console.error(`rehearsal of stage ${stage} failed:\n- ${problems.join('\n- ')}`);
    process.exit(1);
  }
}

/** Names of `new sst.Secret("<Name>")` in infra/ (the CLI passes every stored secret the same way). */
function declaredSecrets() {
  const names = new Set();
  const sources = [readFileSync(configFile, 'utf8')];
  const infraDir = join(dirname(configFile), 'infra');
  if (existsSync(infraDir)) {
    for (const file of readdirSync(infraDir).filter((f) => /\.(ts|mjs|js)$/.test(f))) sources.push(readFileSync(join(infraDir, file), 'utf8'));
  }
  for (const source of sources) for (const m of source.matchAll(/new\s+sst\.Secret\(\s*['"`]([A-Za-z0-9]+)['"`]/g)) names.add(m[1]);
  return names;
}

/** Pulumi's wire form of a secret value: { <signature key>: <secret signature>, value }. */
const SECRET_SIG = '4dabf18193072939515e22adb298388d';

/** Plain JSON: secrets unwrapped (the assertions read ARNs that SST marks secret). */
function plain(value) {
  return JSON.parse(
    JSON.stringify(value ?? {}, (_k, v) => {
      if (v && typeof v === 'object' && SECRET_SIG in v && 'value' in v) return v.value;
      return typeof v === 'bigint' ? String(v) : v;
    }),
  );
}

main().catch((error) => {
  console.error(`rehearsal of stage ${stage} failed: ${error?.stack ?? error}`);
  if (problems.length) console.error(`- ${problems.join('\n- ')}`);
  process.exit(1);
});
