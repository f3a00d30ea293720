import { z } from 'zod';

/**
 * Runtime configuration, read once from the environment. Locally the launcher sets these
 * variables; in AWS the Lambda entry fills them from SST's linked resources first.
 */
const EnvSchema = z.object({
  STAGE: z.string().default('local'),
  AWS_REGION: z.string().default('us-east-1'),
  TABLE_NAME: z.string().min(1).default('budgeting-local'),
  EVENT_BUS_NAME: z.string().min(1).default('budgeting-local'),
  DYNAMODB_ENDPOINT: z.url().optional(),
  EVENTBRIDGE_ENDPOINT: z.url().optional(),
  TOKEN_SIGNING_KEY: z.string().min(32, 'TOKEN_SIGNING_KEY must be at least 32 characters'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().positive().default(900),
  REFRESH_TOKEN_TTL_SECONDS: z.coerce.number().int().positive().default(60 * 60 * 24 * 30),
  LOG_LEVEL: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']).default('INFO'),
  CORS_ORIGINS: z.string().default('*'),
  MAIL_DIR: z.string().optional(),
});

export interface AppConfig {
  stage: string;
  region: string;
  tableName: string;
  eventBusName: string;
  dynamodbEndpoint?: string;
  eventBridgeEndpoint?: string;
  tokenSigningKey: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
  corsOrigins: string[];
  mailDir?: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${detail}`);
  }
  const e = parsed.data;
  return {
    stage: e.STAGE,
    region: e.AWS_REGION,
    tableName: e.TABLE_NAME,
    eventBusName: e.EVENT_BUS_NAME,
    dynamodbEndpoint: e.DYNAMODB_ENDPOINT,
    eventBridgeEndpoint: e.EVENTBRIDGE_ENDPOINT,
    tokenSigningKey: e.TOKEN_SIGNING_KEY,
    accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: e.REFRESH_TOKEN_TTL_SECONDS,
    logLevel: e.LOG_LEVEL,
    corsOrigins: e.CORS_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean),
    mailDir: e.MAIL_DIR,
  };
}
