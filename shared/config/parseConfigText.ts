/**
 * Reads config text as JSON or YAML 1.2 into plain data (lists keep their order); a syntax
 * error names the file and line.
 */
import { parse as parseJsonLocating, type ParseError } from 'jsonc-parser';
import { LineCounter, parseDocument } from 'yaml';
import { InputErrors, type InputError } from '../problems.js';

export type ConfigSyntax = 'json' | 'yaml';

export function configSyntaxOf(fileName: string): ConfigSyntax {
  return /\.json$/i.test(fileName) ? 'json' : 'yaml';
}

export function parseConfigText(text: string, fileName: string): unknown {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  return configSyntaxOf(fileName) === 'json' ? parseJson(body, fileName) : parseYaml(body, fileName);
}

function parseJson(text: string, fileName: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // JSON.parse does not always say where; jsonc-parser reports the offset of the first problem.
    const problems: ParseError[] = [];
    parseJsonLocating(text, problems, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    const offset = problems[0]?.offset;
    const line = offset === undefined ? null : lineAt(text, offset);
    throw new InputErrors([syntaxError(fileName, line, `not valid JSON: ${(error as Error).message.split('\n')[0]}`)]);
  }
}

function parseYaml(text: string, fileName: string): unknown {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const first = document.errors[0];
  if (first !== undefined) {
    const line = lineCounter.linePos(first.pos[0]).line;
    throw new InputErrors([syntaxError(fileName, line, `not valid YAML: ${first.message.split('\n')[0]}`)]);
  }
  return document.toJS();
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) line += 1;
  return line;
}

function syntaxError(file: string, line: number | null, message: string): InputError {
  return { kind: 'configSyntax', file, line, column: null, message };
}
