/**
 * JSON values as Terraform's JSON syntax holds them, and helpers that read them without trusting
 * their shape: every helper accepts any value.
 */

/** A JSON value: strings, numbers, booleans, null, lists and objects. */
export type Json = string | number | boolean | null | Json[] | JsonObject;
export type JsonObject = { [key: string]: Json };

export function isJsonObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as a list: a list as it is, one value as a list of one, nothing as none. */
export function asList(value: Json | undefined): Json[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Terraform JSON writes a nested block as an object or as a list of objects; this accepts both. */
export function blocks(value: Json | undefined): JsonObject[] {
  return asList(value).filter(isJsonObject);
}

/** The first of `blocks(value)`. */
export function block(value: Json | undefined): JsonObject | undefined {
  return blocks(value)[0];
}

/** The strings of a value that is a string or a list (IAM's `"s3:GetObject"` or `["…"]`). */
export function strings(value: Json | undefined): string[] {
  return asList(value).filter((item): item is string => typeof item === 'string');
}
