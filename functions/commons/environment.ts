/** The settings a handler reads from its environment; a missing one is a deployment defect. */
export function requiredEnvironment(name: 'BUCKET_NAME' | 'STATE_MACHINE_ARN' | 'OPTIMIZE_STATE_MACHINE_ARN' | 'TOPIC_ARN'): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`the environment variable ${name} is not set`);
  return value;
}
