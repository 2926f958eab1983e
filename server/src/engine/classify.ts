// Decides what a file is from its name (and, for YAML/JSON, later from its content: a JSON file
// that is not a template may be a key file).
import path from 'node:path';

export type FileKind = 'yaml' | 'json' | 'handler' | 'dotenv' | 'aws-credentials' | 'other';

const HANDLER_EXT = /\.(js|mjs|cjs|ts|mts|cts)$/;

export function classifyPath(file: string): FileKind {
  const base = path.basename(file);
  if (/\.d\.[mc]?ts$/.test(base)) return 'other';
  if (HANDLER_EXT.test(base)) return 'handler';
  if (/\.ya?ml$/i.test(base)) return 'yaml';
  if (/\.json$/i.test(base)) {
    // Lock files and manifests are never templates.
    if (/^(package(-lock)?|tsconfig.*|jsconfig|composer|\.eslintrc|npm-shrinkwrap)\.json$/i.test(base)) return 'other';
    return 'json';
  }
  if (base === '.env' || /^\.env\.[\w.-]+$/.test(base)) {
    if (/\.(example|sample|template|dist|defaults)$/i.test(base)) return 'other';
    return 'dotenv';
  }
  // The AWS CLI's shared credentials file (`~/.aws/credentials`), checked into a project.
  if (base === 'credentials') return 'aws-credentials';
  return 'other';
}

/** Directories an audit never enters. */
export const SKIP_DIRS = ['node_modules', '.git', '.serverless', '.aws-sam', 'cdk.out', 'dist', 'build', 'coverage', '.next', '.webpack', '.esbuild'];
