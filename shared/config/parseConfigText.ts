/**
 * Reads config text as JSON or YAML 1.2 into plain data (lists keep their order); a syntax
 * error names the file and line. Also refused here, before any key is read (issue 10): a key
 * written twice in one object (JSON.parse would keep the last silently), YAML aliases that
 * expand without end, and nesting deeper than any config needs, which would exhaust the stack.
 */
import { parse as parseJsonLocating, visit, type JSONPath, type ParseError } from 'jsonc-parser';
import { LineCounter, parseDocument, type YAMLError } from 'yaml';
import { InputErrors, type InputError } from '#shared/problems.ts';
import { quoted, shown } from '#shared/quoted.ts';
import { keyPath } from './keyPath.ts';

export type ConfigSyntax = 'json' | 'yaml';

/** Far deeper than the config's own keys (scenarios[0].overrides.rebalance.band.absolute is 5). */
export const MAX_CONFIG_DEPTH = 32;

export function configSyntaxOf(fileName: string): ConfigSyntax {
  return /\.json$/i.test(fileName) ? 'json' : 'yaml';
}

export function parseConfigText(text: string, fileName: string): unknown {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (configSyntaxOf(fileName) === 'json') {
    const data = parseJson(body, fileName);
    refuseDeepNesting(data, fileName);
    refuseDuplicateJsonKeys(body, data, fileName);
    return data;
  }
  const data = parseYaml(body, fileName);
  refuseDeepNesting(data, fileName);
  return data;
}

function parseJson(text: string, fileName: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // JSON.parse does not always say where; jsonc-parser reports the offset of the first problem.
    const problems: ParseError[] = [];
    try {
      parseJsonLocating(text, problems, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    } catch {
      // Its parser recurses: text nested past the stack has no line to give.
    }
    const offset = problems[0]?.offset;
    const line = offset === undefined ? null : lineAt(text, offset);
    throw new InputErrors([syntaxError(fileName, line, `not valid JSON: ${(error as Error).message.split('\n')[0]}`)]);
  }
}

/** Every key written twice in one object, on the line of its second writing. */
function refuseDuplicateJsonKeys(text: string, data: unknown, fileName: string): void {
  const errors: InputError[] = [];
  const objects: Map<string, number>[] = [];
  visit(text, {
    onObjectBegin: () => void objects.push(new Map()),
    onObjectEnd: () => void objects.pop(),
    onObjectProperty: (property: string, _offset: number, _length: number, startLine: number, _character: number, pathSupplier: () => JSONPath) => {
      const keys = objects.at(-1);
      const first = keys?.get(property);
      if (first === undefined) {
        keys?.set(property, startLine + 1);
        return;
      }
      const parent = pathSupplier();
      const where = parent.length === 0 ? '' : ` in ${keyPath(data, parent)}`;
      errors.push(syntaxError(fileName, startLine + 1, `the key ${quoted(property)} is written twice${where} (first on line ${first})`));
    },
  });
  if (errors.length > 0) throw new InputErrors(errors);
}

function parseYaml(text: string, fileName: string): unknown {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const first = document.errors[0];
  if (first !== undefined) throw new InputErrors([syntaxError(fileName, lineCounter.linePos(first.pos[0]).line, describeYamlError(first, text))]);
  try {
    return document.toJS();
  } catch (error) {
    if (error instanceof ReferenceError) {
      throw new InputErrors([syntaxError(fileName, null, 'not valid YAML: its aliases expand too many times (more than 100 uses of one anchor)')]);
    }
    if (error instanceof RangeError) throw new InputErrors([tooDeep(fileName, '(the whole config)')]);
    throw error;
  }
}

function describeYamlError(error: YAMLError, text: string): string {
  // The yaml parser recurses too: nesting past the stack is its error, not a crash.
  if (error.message.includes('call stack')) return `not valid YAML: it is nested too deeply (no key of the config is nested more than ${MAX_CONFIG_DEPTH} levels)`;
  if (error.code === 'DUPLICATE_KEY') {
    // The error points at the start of the repeated key: the key is the text up to its colon.
    const key = /^(.*?):(\s|$)/.exec(text.slice(error.pos[0]).split('\n')[0] ?? '')?.[1] ?? text.slice(error.pos[0], error.pos[1]);
    return `not valid YAML: the key ${quoted(key.trim())} is written twice in one mapping`;
  }
  return `not valid YAML: ${error.message.split('\n')[0]}`;
}

/** Walks the data without recursion (the point is that it may be deeper than the stack). */
function refuseDeepNesting(data: unknown, fileName: string): void {
  const pending: { node: unknown; path: JSONPath }[] = [{ node: data, path: [] }];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const { node, path } = item;
    if (typeof node !== 'object' || node === null) continue;
    if (path.length >= MAX_CONFIG_DEPTH) throw new InputErrors([tooDeep(fileName, keyPath(data, path))]);
    for (const [key, value] of Object.entries(node)) pending.push({ node: value, path: [...path, Array.isArray(node) ? Number(key) : key] });
  }
}

function tooDeep(fileName: string, where: string): InputError {
  return { kind: 'configInvalid', file: fileName, line: null, column: shown(where), message: `is nested more than ${MAX_CONFIG_DEPTH} levels deep; no key of the config is` };
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) line += 1;
  return line;
}

function syntaxError(file: string, line: number | null, message: string): InputError {
  return { kind: 'configSyntax', file, line, column: null, message };
}
