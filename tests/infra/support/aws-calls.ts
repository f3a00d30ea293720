import { build } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Every AWS API call the deployed function's own code can make, derived from the code: the
 * project files esbuild puts into the Lambda bundle (packages/app/scripts/build.mjs options,
 * so local-only code such as packages/app/src/local/ is left out exactly as in the deployed
 * bundle), and in each file that names an AWS SDK package, every `<Name>Command` that package
 * exports. A new SDK command anywhere in the function's code shows up here without editing
 * the test; a package this table does not know fails loudly instead of being skipped.
 *
 * Not seen: calls through the SDK's aggregated clients (`new EventBridge().putEvents()`); the
 * code base uses Command objects only (module-store.ts is the one door to DynamoDB).
 */
export interface AwsCall {
  /** IAM action, e.g. `dynamodb:TransactWriteItems`. */
  action: string;
  service: string;
  command: string;
  sdkPackage: string;
  /** Project files that use it, relative to the repository. */
  files: string[];
}

const root = fileURLToPath(new URL('../../..', import.meta.url));

/** IAM service prefix of each SDK client package (SES API v2 shares the `ses` prefix). */
const SERVICE_PREFIX: Record<string, string> = {
  '@aws-sdk/client-dynamodb': 'dynamodb',
  '@aws-sdk/lib-dynamodb': 'dynamodb',
  '@aws-sdk/client-dynamodb-streams': 'dynamodb',
  '@aws-sdk/client-eventbridge': 'events',
  '@aws-sdk/client-sesv2': 'ses',
  '@aws-sdk/client-ses': 'ses',
  '@aws-sdk/client-sqs': 'sqs',
  '@aws-sdk/client-sns': 'sns',
  '@aws-sdk/client-cloudwatch': 'cloudwatch',
  '@aws-sdk/client-s3': 's3',
  '@aws-sdk/client-scheduler': 'scheduler',
};

/** The DocumentClient's commands are renamed wrappers of DynamoDB operations. */
const DOCUMENT_CLIENT_OPERATION: Record<string, string> = {
  GetCommand: 'GetItem',
  PutCommand: 'PutItem',
  UpdateCommand: 'UpdateItem',
  DeleteCommand: 'DeleteItem',
  QueryCommand: 'Query',
  ScanCommand: 'Scan',
  BatchGetCommand: 'BatchGetItem',
  BatchWriteCommand: 'BatchWriteItem',
  TransactGetCommand: 'TransactGetItems',
  TransactWriteCommand: 'TransactWriteItems',
  ExecuteStatementCommand: 'PartiQLSelect',
};

/**
 * Project source files in the Lambda bundle, relative to the repository: esbuild follows the
 * handler's imports as the Lambda build does (same entry, same main fields), but leaves every
 * npm package outside (only the graph of project files matters here, and it is much faster).
 */
export async function lambdaSourceFiles(): Promise<string[]> {
  const result = await build({
    entryPoints: [join(root, 'packages/app/src/lambda/handler.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    mainFields: ['module', 'main'],
    outdir: join(root, 'dist/rehearsal-scan'),
    absWorkingDir: root,
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [
      {
        name: 'npm-packages-external',
        setup(b) {
          // Bare specifiers are npm packages, except the workspace's own @budgeting/* modules.
          b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@budgeting/') ? undefined : { path: args.path, external: true }));
        },
      },
    ],
  });
  return Object.keys(result.metafile.inputs).filter((f) => f.startsWith('packages/'));
}

function iamAction(sdkPackage: string, command: string): string {
  const service = SERVICE_PREFIX[sdkPackage];
  if (!service) throw new Error(`the function's code uses ${sdkPackage}: add its IAM service prefix to tests/infra/support/aws-calls.ts`);
  if (sdkPackage === '@aws-sdk/lib-dynamodb') {
    const operation = DOCUMENT_CLIENT_OPERATION[command];
    if (!operation) throw new Error(`no DynamoDB operation known for DocumentClient ${command}: add it to tests/infra/support/aws-calls.ts`);
    return `${service}:${operation}`;
  }
  // IAM has no batch actions for SQS: SendMessageBatch is authorised as sqs:SendMessage.
  const SQS_BATCH: Record<string, string> = { SendMessageBatchCommand: 'SendMessage', DeleteMessageBatchCommand: 'DeleteMessage', ChangeMessageVisibilityBatchCommand: 'ChangeMessageVisibility' };
  if (service === 'sqs' && SQS_BATCH[command]) return `sqs:${SQS_BATCH[command]}`;
  // S3 operations authorized under another action's name (the Service Authorization Reference,
  // "Actions, resources, and condition keys for Amazon S3": a multipart upload's create, parts
  // and completion are all s3:PutObject; AbortMultipartUpload has an action of its own).
  const S3_AS: Record<string, string> = {
    HeadObjectCommand: 'GetObject',
    DeleteObjectsCommand: 'DeleteObject',
    ListObjectsV2Command: 'ListBucket',
    CreateMultipartUploadCommand: 'PutObject',
    UploadPartCommand: 'PutObject',
    CompleteMultipartUploadCommand: 'PutObject',
  };
  if (service === 's3' && S3_AS[command]) return `s3:${S3_AS[command]}`;
  return `${service}:${command.replace(/Command$/, '')}`;
}

/** The SDK package exports this command (each command has its own declaration file). */
function exportsCommand(sdkPackage: string, command: string): boolean {
  return existsSync(join(root, 'node_modules', sdkPackage, 'dist-types/commands', `${command}.d.ts`));
}

export function awsCallsIn(files: { path: string; source: string }[]): AwsCall[] {
  const calls = new Map<string, AwsCall>();
  for (const { path, source } of files) {
    const packages = [...new Set([...source.matchAll(/['"](@aws-sdk\/(?:client-[a-z0-9-]+|lib-dynamodb))['"]/g)].map((m) => m[1]!))];
    if (packages.length === 0) continue;
    const commands = new Set([...source.matchAll(/\b([A-Z][A-Za-z0-9]*Command)\b/g)].map((m) => m[1]!));
    for (const command of commands) {
      const owners = packages.filter((p) => exportsCommand(p, command));
      if (owners.length === 0) continue; // a local name that merely ends in "Command"
      for (const sdkPackage of owners) {
        const action = iamAction(sdkPackage, command);
        const call = calls.get(action) ?? { action, service: action.split(':')[0]!, command, sdkPackage, files: [] };
        if (!call.files.includes(path)) call.files.push(path);
        calls.set(action, call);
      }
    }
  }
  // A presigned POST is a PutObject made later by the client, authorized as the signer's (the role's).
  for (const { path, source } of files) {
    if (!/['"]@aws-sdk\/s3-presigned-post['"]/.test(source) || !/\bcreatePresignedPost\b/.test(source)) continue;
    const call = calls.get('s3:PutObject') ?? { action: 's3:PutObject', service: 's3', command: 'createPresignedPost', sdkPackage: '@aws-sdk/s3-presigned-post', files: [] };
    if (!call.files.includes(path)) call.files.push(path);
    calls.set('s3:PutObject', call);
  }
  return [...calls.values()].sort((a, b) => a.action.localeCompare(b.action));
}

/** The AWS calls of the deployed function's code. */
export async function awsCallsOfLambda(): Promise<AwsCall[]> {
  const files = await lambdaSourceFiles();
  return awsCallsIn(files.map((path) => ({ path, source: readFileSync(join(root, path), 'utf8') })));
}
