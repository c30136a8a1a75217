import { z } from '@biaslab/core';

/** One documented option of a component. */
export interface OptionDoc {
  readonly name: string;
  readonly type: string;
  readonly default?: unknown;
  readonly required: boolean;
  readonly description: string;
}

/** The parts of a JSON Schema (as `z.toJSONSchema` writes it) that help and flags are made from. */
export type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
};

/**
 * A zod schema as JSON Schema, input side (defaults and optional keys as a user writes them); what the help
 * of component options and of the experiment flags is read from.
 */
export function inputJsonSchema(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
}

/**
 * The options of a component, read from its zod schema through `z.toJSONSchema` (input side, so defaults
 * and optional keys show as a user writes them).
 */
export function optionDocs(schema: z.ZodType): OptionDoc[] {
  const json = inputJsonSchema(schema);
  const object = json.properties ? json : (json.anyOf ?? json.oneOf ?? []).find((s) => s.properties);
  if (!object?.properties) return [];
  const required = new Set(object.required ?? []);
  return Object.entries(object.properties).map(([name, prop]) => ({
    name,
    type: typeText(prop),
    ...(prop.default !== undefined ? { default: prop.default } : {}),
    required: required.has(name) && prop.default === undefined,
    description: prop.description ?? '',
  }));
}

/** A JSON Schema's type as help shows it: `"a" | "b"`, `number (> 0)`, `integer (≥ 1)`, `string[]`. */
export function typeText(s: JsonSchema): string {
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (s.const !== undefined) return JSON.stringify(s.const);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return alternatives.map(typeText).join(' | ');
  const type = Array.isArray(s.type) ? s.type.join(' | ') : s.type;
  if (type === 'array') return `${s.items ? typeText(s.items) : 'any'}[]`;
  if (type === 'object' && s.properties)
    return `{ ${Object.entries(s.properties)
      .map(([k, v]) => `${k}: ${typeText(v)}`)
      .join(', ')} }`;
  let text = type ?? 'any';
  const bounds: string[] = [];
  if (s.exclusiveMinimum !== undefined) bounds.push(`> ${s.exclusiveMinimum}`);
  if (s.minimum !== undefined && s.minimum > Number.MIN_SAFE_INTEGER) bounds.push(`≥ ${s.minimum}`);
  if (s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER) bounds.push(`≤ ${s.maximum}`);
  if (bounds.length) text += ` (${bounds.join(', ')})`;
  return text;
}
