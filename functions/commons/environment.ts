/** The settings a handler reads from its environment; a missing one is a deployment defect. */
export type SettingName =
  | 'BUCKET_NAME'
  | 'STATE_MACHINE_ARN'
  | 'OPTIMIZE_STATE_MACHINE_ARN'
  | 'TOPIC_ARN'
  | 'QUIET_CHECK_SCHEDULE'
  | 'QUIET_CHECK_GROUP'
  | 'SCHEDULER_ROLE_ARN'
  | 'SCHEDULE_DEAD_LETTER_ARN';

export function requiredEnvironment(name: SettingName): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`the environment variable ${name} is not set`);
  return value;
}
