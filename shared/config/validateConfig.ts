/**
 * Validates parsed config data (SPEC 1.2): every error names its key the way a person reads
 * it (`strategies[1] (Beta).marginPerUnit`), unknown keys are warnings, defaults are filled in.
 */
import type { z } from 'zod';
import { INTEGER_TOLERANCE, isNearInteger } from '#shared/numbers.ts';
import { InputErrors, type InputError, type InputWarning } from '#shared/problems.ts';
import { quoted, shown } from '#shared/quoted.ts';
import { reportColumnNameClashes } from './columnNameClashes.ts';
import { isRecord, keyPath, type Path } from './keyPath.ts';
import { mergePatch } from './mergePatch.ts';
import { allocationSchema, limitsSchema, rebalanceSchema, SCENARIO_OVERRIDE_KEYS } from './partBSchema.ts';
import { configSchema, knownKeys, type PortfolioConfig } from './schema.ts';

export interface ValidatedConfig {
  config: PortfolioConfig;
  warnings: InputWarning[];
}

export function validateConfig(raw: unknown, fileName: string): ValidatedConfig {
  const result = configSchema.safeParse(raw);
  const errors: InputError[] = [];
  const error = (path: Path, message: string): void => {
    errors.push({ kind: 'configInvalid', file: fileName, line: null, column: keyPath(raw, path), message });
  };
  if (!result.success) {
    for (const issue of result.error.issues) error(issue.path, describeIssue(issue, valueAt(raw, issue.path)));
  }
  checkAcrossKeys(raw, fileName, errors);
  checkPartBSections(raw, error);
  const warnings = unknownKeyWarnings(raw, fileName);
  checkScenarios(raw, fileName, errors, warnings);
  if (errors.length > 0) throw new InputErrors(errors);
  const config = result.data as PortfolioConfig;
  if (config.optimizer !== undefined && config.optimizer.maxStrategies === null) config.optimizer.maxStrategies = config.strategies.length;
  return { config, warnings };
}

/** Rules across the keys of the part-B sections, on a config or a scenario's merged one. */
function checkPartBSections(raw: unknown, error: (path: Path, message: string) => void): void {
  const root = isRecord(raw) ? raw : {};
  const allocation = isRecord(root['allocation']) ? root['allocation'] : {};
  const minWeight = allocation['minWeight'];
  const maxWeight = allocation['maxWeight'] ?? 1;
  if (typeof minWeight === 'number' && typeof maxWeight === 'number' && minWeight > maxWeight) {
    error(['allocation', 'minWeight'], `must be <= allocation.maxWeight ${maxWeight} (got ${minWeight})`);
  }
  const optimizer = isRecord(root['optimizer']) ? root['optimizer'] : {};
  const limits = isRecord(root['limits']) ? root['limits'] : {};
  if (typeof optimizer['maxBreachEvents'] === 'number' && (limits['drawdownBreachUsd'] === undefined || limits['drawdownBreachUsd'] === null)) {
    error(['optimizer', 'maxBreachEvents'], 'counts drawdown breach events, so it needs limits.drawdownBreachUsd');
  }
}

/**
 * Each scenario's overrides merged into the config as a JSON Merge Patch and validated again;
 * its errors are named under the scenario: `scenarios[1] (Broken).allocation.method`.
 */
function checkScenarios(raw: unknown, fileName: string, errors: InputError[], warnings: InputWarning[]): void {
  const root = isRecord(raw) ? raw : {};
  const scenarios = recordsOf(root['scenarios']);
  reportDuplicateNames(scenarios, 'scenarios', 'scenario', (path, message) => {
    errors.push({ kind: 'configInvalid', file: fileName, line: null, column: keyPath(raw, path), message });
  });
  for (const { item, index } of scenarios) {
    const label = keyPath(raw, ['scenarios', index]);
    const overrides = item['overrides'] ?? {};
    const error = (column: string, message: string): void => {
      errors.push({ kind: 'configInvalid', file: fileName, line: null, column: `${label}.${column}`, message });
    };
    if (!isRecord(overrides)) {
      error('overrides', `must be an object of ${SCENARIO_OVERRIDE_KEYS.join(', ')} overrides`);
      continue;
    }
    const allowed: readonly string[] = SCENARIO_OVERRIDE_KEYS;
    for (const key of Object.keys(overrides).filter((key) => !allowed.includes(key))) {
      error(`overrides.${key}`, `a scenario may override only ${SCENARIO_OVERRIDE_KEYS.join(', ')}`);
    }
    const merged = mergePatch(
      Object.fromEntries(SCENARIO_OVERRIDE_KEYS.map((key) => [key, root[key]]).filter(([, value]) => value !== undefined)),
      Object.fromEntries(Object.entries(overrides).filter(([key]) => allowed.includes(key))),
    );
    const sections = { allocation: allocationSchema, rebalance: rebalanceSchema, limits: limitsSchema };
    for (const [key, schema] of Object.entries(sections)) {
      // An error of the base config is reported once, under its own key, not again for every scenario.
      if (!schema.safeParse(root[key] ?? {}).success) continue;
      const parsed = schema.safeParse(isRecord(merged) ? (merged[key] ?? {}) : {});
      if (parsed.success) continue;
      for (const issue of parsed.error.issues) {
        const path = [key, ...issue.path];
        error(keyPath(merged, path), describeIssue({ ...issue, path }, valueAt(merged, path)));
      }
    }
    // The rules across sections see the whole merged config (the optimizer section included: a
    // scenario that removes limits.drawdownBreachUsd breaks optimizer.maxBreachEvents); a rule the
    // base config already breaks is reported once, under its own key.
    const wholeMerged = { ...(isRecord(merged) ? merged : {}), ...(root['optimizer'] === undefined ? {} : { optimizer: root['optimizer'] }) };
    const brokenInBase = new Set<string>();
    checkPartBSections(root, (path) => brokenInBase.add(path.map(String).join('.')));
    checkPartBSections(wholeMerged, (path, message) => {
      if (!brokenInBase.has(path.map(String).join('.'))) error(keyPath(wholeMerged, path), message);
    });
    const visitOverrides = (section: string, allowedKeys: readonly string[]): void => {
      const node = overrides[section];
      if (!isRecord(node)) return;
      for (const key of Object.keys(node).filter((key) => !allowedKeys.includes(key))) {
        const column = `${label}.overrides.${section}.${key}`;
        warnings.push({ kind: 'unknownConfigKey', file: fileName, line: null, column, message: `unknown key ${column} is ignored` });
      }
    };
    visitOverrides('allocation', knownKeys.allocation);
    visitOverrides('rebalance', knownKeys.rebalance);
    visitOverrides('limits', knownKeys.limits);
  }
}

function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return 'is required';
      if (issue.expected === 'int') return `must be a whole number (got ${show(value)})`;
      return `must be ${article(issue.expected)}, not ${describeValue(value)}`;
    case 'too_small':
      if (issue.origin === 'array') return 'must be a non-empty list';
      if (issue.origin === 'string') return 'must not be empty';
      return `must be ${issue.inclusive ? '>=' : '>'} ${String(issue.minimum)} (got ${show(value)})`;
    case 'too_big':
      return `must be ${issue.inclusive ? '<=' : '<'} ${String(issue.maximum)} (got ${show(value)})`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((option) => JSON.stringify(option)).join(', ')} (got ${show(value)})`;
    case 'invalid_union':
      return issue.path.at(-1) === 'band'
        ? `must be null, {"absolute": x} or {"relative": x}, exactly one key, x > 0 (got ${show(value)})`
        : `must be a number >= 0 or an object {account, portfolio} (got ${show(value)})`;
    case 'custom':
      return `${issue.message} (got ${show(value)})`;
    default:
      return issue.message;
  }
}

function article(expected: string): string {
  return expected === 'array' ? 'a list' : expected === 'object' ? 'an object' : `a ${expected}`;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the text ${quoted(value)}`;
  if (typeof value === 'number') return String(value);
  return `${article(typeof value)} (${show(value)})`;
}

function show(value: unknown): string {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' ? quoted(value) : shown(JSON.stringify(value) ?? String(value));
}

function checkAcrossKeys(raw: unknown, fileName: string, errors: InputError[]): void {
  const root = isRecord(raw) ? raw : {};
  const accounts = recordsOf(root['accounts']);
  const strategies = recordsOf(root['strategies']);
  const error = (path: Path, message: string): void => {
    errors.push({ kind: 'configInvalid', file: fileName, line: null, column: keyPath(raw, path), message });
  };
  reportDuplicateNames(accounts, 'accounts', 'account', error);
  reportDuplicateNames(strategies, 'strategies', 'strategy', error);
  reportColumnNameClashes(accounts, strategies, error);

  const accountNames = new Set(accounts.map(({ item }) => item['name']).filter((value) => typeof value === 'string'));
  for (const { item, index } of strategies) {
    const account = item['account'];
    if (typeof account === 'string' && account !== '' && !accountNames.has(account)) {
      error(['strategies', index, 'account'], `no account is named ${quoted(account)}`);
    }
    const minPosition = item['minPosition'];
    const increment = item['increment'];
    if (isPositive(minPosition) && isPositive(increment) && !isNearInteger(minPosition / increment)) {
      error(
        ['strategies', index, 'minPosition'],
        `must be a whole multiple of increment ${increment} (got ${minPosition}, ${minPosition / increment} increments)`,
      );
    }
  }

  for (const { item, index } of accounts) {
    const capital = item['startingCapital'];
    if (!isPositive(capital)) continue;
    const sleeves = strategies.filter(({ item: strategy }) => strategy['account'] === item['name']);
    const allocated = sleeves.map(({ item: strategy }) => strategy['allocatedCapital']);
    if (!allocated.every(isPositive)) continue;
    const total = allocated.reduce((sum, value) => sum + value, 0);
    if (total > capital * (1 + INTEGER_TOLERANCE)) {
      const parts = sleeves.map(({ item: strategy }) => `${String(strategy['name'])} ${String(strategy['allocatedCapital'])}`);
      error(
        ['accounts', index, 'startingCapital'],
        `the allocatedCapital of its strategies sums to ${total} (${parts.join(' + ')}), more than its startingCapital ${capital}`,
      );
    }
  }
}

function reportDuplicateNames(
  items: readonly IndexedRecord[],
  listKey: string,
  noun: string,
  error: (path: Path, message: string) => void,
): void {
  const firstIndex = new Map<unknown, number>();
  for (const { item, index } of items) {
    const itemName = item['name'];
    if (typeof itemName !== 'string' || itemName === '') continue;
    const earlier = firstIndex.get(itemName);
    if (earlier === undefined) firstIndex.set(itemName, index);
    else error([listKey, index, 'name'], `duplicate ${noun} name ${quoted(itemName)} (also ${listKey}[${earlier}])`);
  }
}

function unknownKeyWarnings(raw: unknown, fileName: string): InputWarning[] {
  const warnings: InputWarning[] = [];
  const visit = (node: unknown, allowed: readonly string[], path: Path): void => {
    if (!isRecord(node)) return;
    for (const key of Object.keys(node)) {
      if (allowed.includes(key)) continue;
      const column = keyPath(raw, [...path, key]);
      warnings.push({ kind: 'unknownConfigKey', file: fileName, line: null, column, message: `unknown key ${column} is ignored` });
    }
  };
  const root = isRecord(raw) ? raw : {};
  visit(root, knownKeys.top, []);
  for (const { item, index } of recordsOf(root['accounts'])) visit(item, knownKeys.account, ['accounts', index]);
  for (const { item, index } of recordsOf(root['strategies'])) visit(item, knownKeys.strategy, ['strategies', index]);
  visit(root['thresholds'], knownKeys.thresholds, ['thresholds']);
  if (isRecord(root['thresholds'])) {
    visit(root['thresholds']['marginUtilizationAlertPct'], knownKeys.alertLevels, ['thresholds', 'marginUtilizationAlertPct']);
  }
  visit(root['metrics'], knownKeys.metrics, ['metrics']);
  visit(root['allocation'], knownKeys.allocation, ['allocation']);
  visit(root['rebalance'], knownKeys.rebalance, ['rebalance']);
  visit(root['limits'], knownKeys.limits, ['limits']);
  visit(root['optimizer'], knownKeys.optimizer, ['optimizer']);
  visit(root['attribution'], knownKeys.attribution, ['attribution']);
  visit(root['benchmark'], knownKeys.benchmark, ['benchmark']);
  visit(root['monteCarlo'], knownKeys.monteCarlo, ['monteCarlo']);
  for (const { item, index } of recordsOf(root['scenarios'])) visit(item, knownKeys.scenario, ['scenarios', index]);
  return warnings;
}

interface IndexedRecord {
  item: Record<string, unknown>;
  index: number;
}

function recordsOf(list: unknown): IndexedRecord[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((item: unknown, index) => (isRecord(item) ? [{ item, index }] : []));
}

function isPositive(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

function valueAt(raw: unknown, path: Path): unknown {
  let node: unknown = raw;
  for (const part of path) {
    if (typeof part === 'number') node = Array.isArray(node) ? node[part] : undefined;
    else node = isRecord(node) ? node[String(part)] : undefined;
  }
  return node;
}
