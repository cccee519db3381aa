import { AWS_METRICS, deployInProgressMetric, metricCatalogue } from '@monitored/cloudwatch-model';

/** What the tests record: AWS's metrics, and the deploy-hold metric of a stage named `msgs-dev`. */
export const AWS_CATALOGUE = metricCatalogue([...AWS_METRICS, deployInProgressMetric('msgs-dev')]);
