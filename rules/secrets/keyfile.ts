// Credential files that are neither templates nor code, read as name → value entries (the dotenv
// model): JSON key files (a Google service-account key, or any JSON object with a `private_key`)
// and AWS shared credentials files (INI).
import { parseYaml, isMap, pairs, keyName, str, innerSpan } from '../template/yaml';
import { buildDotenv, type DotenvEntry, type DotenvModel } from '../dotenv/model';

/**
 * A JSON file (not a template) whose root object has a string `private_key`; undefined for any
 * other JSON, which faaslint does not read. The text test keeps other JSON files from a second parse.
 */
export function buildJsonKeyFile(uri: string, text: string): DotenvModel | undefined {
  if (!text.includes('"private_key"')) return undefined;
  const { doc } = parseYaml(text);
  if (!isMap(doc.contents)) return undefined;
  const entries: DotenvEntry[] = [];
  for (const p of pairs(doc.contents)) {
    const name = keyName(p);
    const value = str(p.value);
    const keySpan = innerSpan(p.key, text);
    const valueSpan = innerSpan(p.value, text);
    if (name !== undefined && value !== undefined && keySpan && valueSpan) entries.push({ name, keySpan, value, valueSpan });
  }
  if (!entries.some((e) => e.name === 'private_key')) return undefined;
  return { uri, text, entries, format: 'json-key' };
}

export function buildAwsCredentialsFile(uri: string, text: string): DotenvModel {
  return { ...buildDotenv(uri, text), format: 'aws-credentials' };
}
