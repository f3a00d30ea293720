// Types for dependency-rules.mjs (plain JavaScript so the depcruise CLI can load it).
import type { ICruiseOptions, IForbiddenRuleType } from 'dependency-cruiser';

export declare const ALLOWED_IMPORTS: Record<string, string[]>;
export declare const MODULES: string[];
export declare const DYNAMODB_SDK: string[];
export declare function publicEntries(rootDir: string): string[];
export declare function architectureConfig(rootDir: string): { forbidden: IForbiddenRuleType[]; options: ICruiseOptions };
