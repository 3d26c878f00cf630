/** Powertools singletons, created once per Lambda container and shared by every handler. */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

const serviceName = process.env['POWERTOOLS_SERVICE_NAME'] ?? 'portfolio-combiner';

export const logger = new Logger({ serviceName });
export const metrics = new Metrics({ serviceName, namespace: process.env['POWERTOOLS_METRICS_NAMESPACE'] ?? 'PortfolioCombiner' });
