/** How a message names a config key: `strategies[1] (Beta).marginPerUnit`, list items by their name when they have one. */
import { shown } from '#shared/quoted.ts';

export type Path = readonly PropertyKey[];

export function keyPath(raw: unknown, path: Path): string {
  let text = '';
  let node: unknown = raw;
  for (const part of path) {
    if (typeof part === 'number') {
      node = Array.isArray(node) ? node[part] : undefined;
      const itemName = isRecord(node) && typeof node['name'] === 'string' ? ` (${shown(node['name'])})` : '';
      text += `[${part}]${itemName}`;
    } else {
      node = isRecord(node) ? node[String(part)] : undefined;
      text += text === '' ? String(part) : `.${String(part)}`;
    }
  }
  return text === '' ? '(the whole config)' : text;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
