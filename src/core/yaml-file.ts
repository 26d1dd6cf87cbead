/**
 * A YAML file read and checked against a zod schema, with errors that name the file, the field and
 * the problem (an unknown option also lists the options accepted there). Kept apart from load.ts,
 * which knows every plugin, so that registries read at a plugin's load (certificate templates)
 * can use it without importing the plugin list.
 */
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { z } from 'zod';
import { ConfigError } from './errors.js';
import { objectShapeOf } from './plugin.js';

function formatPath(path: PropertyKey[]): string {
  return path.length === 0 ? '(root)' : path.map((p) => String(p)).join('.');
}

/** Parses YAML and validates it, with errors that name the file, the path and the problem. */
export function parseYamlFile<T extends z.ZodType>(file: string, schema: T): z.infer<T> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new ConfigError('CONFIG_UNREADABLE', `${file}: cannot be read`, { file }, { cause });
  }
  const doc = YAML.parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const line = first?.linePos?.[0];
    throw new ConfigError(
      'CONFIG_YAML',
      `${file}${line ? `:${line.line}:${line.col}` : ''}: YAML syntax error: ${first?.message.split('\n')[0] ?? 'unknown'}`,
      { file },
    );
  }
  const result = schema.safeParse(doc.toJS() ?? {});
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${file}: ${formatPath(i.path)}: ${messageOf(schema, i)}`);
    const first = result.error.issues[0];
    throw new ConfigError('CONFIG_INVALID', lines.join('\n'), { file, path: first ? formatPath(first.path) : undefined });
  }
  return result.data as z.infer<T>;
}

/** An issue's message; an unknown option also names the options accepted there. */
function messageOf(schema: z.ZodType, issue: z.core.$ZodIssue): string {
  if (issue.code !== 'unrecognized_keys') return issue.message;
  const at = schemaAt(schema, issue.path);
  const accepted = at ? Object.keys(objectShapeOf(at) ?? {}) : [];
  const unknown = `unknown option${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return accepted.length > 0 ? `${unknown}: accepted here: ${accepted.join(', ')}` : issue.message;
}

/** The schema that checks the value at `path` (through objects, arrays, records and wrappers). */
function schemaAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
  let current: z.ZodType | undefined = schema;
  for (const key of path) {
    if (current === undefined) return undefined;
    const shape = objectShapeOf(current);
    const def = unwrap(current).def as { element?: z.ZodType; valueType?: z.ZodType };
    current = shape ? shape[String(key)] : (def.element ?? def.valueType);
  }
  return current;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let depth = 0; depth < 6; depth++) {
    const def = (current as unknown as { def: { innerType?: z.ZodType; in?: z.ZodType } }).def;
    const next = def.innerType ?? def.in;
    if (!next) return current;
    current = next;
  }
  return current;
}
