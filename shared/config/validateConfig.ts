/**
 * Validates parsed config data (SPEC 1.2): every error names its key the way a person reads it
 * (`strategies[1] (Beta).marginPerUnit`), unknown keys are warnings, defaults are filled in. The
 * errors are values, as ingest's are: the caller merges them with its own and decides.
 */
import type { z } from 'zod';
import { INTEGER_TOLERANCE, isNearInteger } from '#shared/numbers.ts';
import type { InputError, InputWarning } from '#shared/problems.ts';
import { quoted, shown } from '#shared/quoted.ts';
import { reportColumnNameClashes } from './columnNameClashes.ts';
import { ConfigProblems } from './configProblems.ts';
import { isRecord, keyPath, type Path } from './keyPath.ts';
import { mergePatch } from './mergePatch.ts';
import { allocationSchema, limitsSchema, rebalanceSchema, SCENARIO_OVERRIDE_KEYS } from './partBSchema.ts';
import { configSchema, knownKeys, type PortfolioConfig } from './schema.ts';

/** Like a track record's reading: the config, null when there is any error, and every error and warning found. */
export interface ConfigValidation {
  config: PortfolioConfig | null;
  errors: InputError[];
  warnings: InputWarning[];
}

export function validateConfig(raw: unknown, fileName: string): ConfigValidation {
  const result = configSchema.safeParse(raw);
  const problems = new ConfigProblems(fileName, raw);
  if (!result.success) {
    for (const issue of result.error.issues) problems.error(issue.path, describeIssue(issue, valueAt(raw, issue.path)));
  }
  checkAcrossKeys(raw, problems);
  for (const { path, message } of partBRuleBreaks(raw)) problems.error(path, message);
  warnUnknownKeys(raw, problems);
  checkScenarios(raw, problems);
  const { errors, warnings } = problems;
  if (!result.success || errors.length > 0) return { config: null, errors, warnings };
  const config = result.data;
  if (config.optimizer !== undefined && config.optimizer.maxStrategies === null) config.optimizer.maxStrategies = config.strategies.length;
  return { config, errors, warnings };
}

/** A rule across keys broken, at the key it names. */
interface RuleBreak {
  path: Path;
  message: string;
}

/** Rules across the keys of the part-B sections, on a config or a scenario's merged one. */
function partBRuleBreaks(raw: unknown): RuleBreak[] {
  const breaks: RuleBreak[] = [];
  const root = isRecord(raw) ? raw : {};
  const allocation = isRecord(root['allocation']) ? root['allocation'] : {};
  const minWeight = allocation['minWeight'];
  const maxWeight = allocation['maxWeight'] ?? 1;
  if (typeof minWeight === 'number' && typeof maxWeight === 'number' && minWeight > maxWeight) {
    breaks.push({ path: ['allocation', 'minWeight'], message: `must be <= allocation.maxWeight ${maxWeight} (got ${minWeight})` });
  }
  const optimizer = isRecord(root['optimizer']) ? root['optimizer'] : {};
  const limits = isRecord(root['limits']) ? root['limits'] : {};
  if (typeof optimizer['maxBreachEvents'] === 'number' && (limits['drawdownBreachUsd'] === undefined || limits['drawdownBreachUsd'] === null)) {
    breaks.push({ path: ['optimizer', 'maxBreachEvents'], message: 'counts drawdown breach events, so it needs limits.drawdownBreachUsd' });
  }
  return breaks;
}

/**
 * Each scenario's overrides merged into the config as a JSON Merge Patch and validated again;
 * its errors are named under the scenario: `scenarios[1] (Broken).allocation.method`.
 */
function checkScenarios(raw: unknown, problems: ConfigProblems): void {
  const root = isRecord(raw) ? raw : {};
  const scenarios = recordsOf(root['scenarios']);
  reportDuplicateNames(scenarios, 'scenarios', 'scenario', problems);
  const brokenInBase = new Set(partBRuleBreaks(root).map(({ path }) => path.map(String).join('.')));
  for (const { item, index } of scenarios) {
    const label = keyPath(raw, ['scenarios', index]);
    const overrides = item['overrides'] ?? {};
    if (!isRecord(overrides)) {
      problems.error(['scenarios', index, 'overrides'], `must be an object of ${SCENARIO_OVERRIDE_KEYS.join(', ')} overrides`);
      continue;
    }
    const allowed: readonly string[] = SCENARIO_OVERRIDE_KEYS;
    for (const key of Object.keys(overrides).filter((key) => !allowed.includes(key))) {
      problems.error(['scenarios', index, 'overrides', key], `a scenario may override only ${SCENARIO_OVERRIDE_KEYS.join(', ')}`);
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
        problems.errorUnder(`${label}.${keyPath(merged, path)}`, describeIssue({ ...issue, path }, valueAt(merged, path)));
      }
    }
    // The rules across sections see the whole merged config (the optimizer section included: a
    // scenario that removes limits.drawdownBreachUsd breaks optimizer.maxBreachEvents); a rule the
    // base config already breaks is reported once, under its own key.
    const wholeMerged = { ...(isRecord(merged) ? merged : {}), ...(root['optimizer'] === undefined ? {} : { optimizer: root['optimizer'] }) };
    for (const { path, message } of partBRuleBreaks(wholeMerged)) {
      if (!brokenInBase.has(path.map(String).join('.'))) problems.errorUnder(`${label}.${keyPath(wholeMerged, path)}`, message);
    }
    for (const section of SCENARIO_OVERRIDE_KEYS) problems.unknownKeys(overrides[section], knownKeys[section], ['scenarios', index, 'overrides', section]);
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

function checkAcrossKeys(raw: unknown, problems: ConfigProblems): void {
  const root = isRecord(raw) ? raw : {};
  const accounts = recordsOf(root['accounts']);
  const strategies = recordsOf(root['strategies']);
  reportDuplicateNames(accounts, 'accounts', 'account', problems);
  reportDuplicateNames(strategies, 'strategies', 'strategy', problems);
  reportColumnNameClashes(accounts, strategies, problems);

  const accountNames = new Set(accounts.map(({ item }) => item['name']).filter((value) => typeof value === 'string'));
  for (const { item, index } of strategies) {
    const account = item['account'];
    if (typeof account === 'string' && account !== '' && !accountNames.has(account)) {
      problems.error(['strategies', index, 'account'], `no account is named ${quoted(account)}`);
    }
    const minPosition = item['minPosition'];
    const increment = item['increment'];
    if (isPositive(minPosition) && isPositive(increment) && !isNearInteger(minPosition / increment)) {
      problems.error(
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
      problems.error(
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
  problems: ConfigProblems,
): void {
  const firstIndex = new Map<unknown, number>();
  for (const { item, index } of items) {
    const itemName = item['name'];
    if (typeof itemName !== 'string' || itemName === '') continue;
    const earlier = firstIndex.get(itemName);
    if (earlier === undefined) firstIndex.set(itemName, index);
    else problems.error([listKey, index, 'name'], `duplicate ${noun} name ${quoted(itemName)} (also ${listKey}[${earlier}])`);
  }
}

/** SPEC 1.2: a key the config does not know is ignored, with a warning. */
function warnUnknownKeys(raw: unknown, problems: ConfigProblems): void {
  const root = isRecord(raw) ? raw : {};
  problems.unknownKeys(root, knownKeys.top, []);
  for (const { item, index } of recordsOf(root['accounts'])) problems.unknownKeys(item, knownKeys.account, ['accounts', index]);
  for (const { item, index } of recordsOf(root['strategies'])) problems.unknownKeys(item, knownKeys.strategy, ['strategies', index]);
  problems.unknownKeys(root['thresholds'], knownKeys.thresholds, ['thresholds']);
  if (isRecord(root['thresholds'])) {
    problems.unknownKeys(root['thresholds']['marginUtilizationAlertPct'], knownKeys.alertLevels, ['thresholds', 'marginUtilizationAlertPct']);
  }
  problems.unknownKeys(root['metrics'], knownKeys.metrics, ['metrics']);
  problems.unknownKeys(root['allocation'], knownKeys.allocation, ['allocation']);
  problems.unknownKeys(root['rebalance'], knownKeys.rebalance, ['rebalance']);
  problems.unknownKeys(root['limits'], knownKeys.limits, ['limits']);
  problems.unknownKeys(root['optimizer'], knownKeys.optimizer, ['optimizer']);
  problems.unknownKeys(root['attribution'], knownKeys.attribution, ['attribution']);
  problems.unknownKeys(root['benchmark'], knownKeys.benchmark, ['benchmark']);
  problems.unknownKeys(root['monteCarlo'], knownKeys.monteCarlo, ['monteCarlo']);
  for (const { item, index } of recordsOf(root['scenarios'])) problems.unknownKeys(item, knownKeys.scenario, ['scenarios', index]);
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
