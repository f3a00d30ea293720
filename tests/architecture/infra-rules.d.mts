// Types for infra-rules.mjs (plain JavaScript like dependency-rules.mjs).
import type { IForbiddenRuleType } from 'dependency-cruiser';

export declare function infraImportRules(rootDir: string): IForbiddenRuleType[];
