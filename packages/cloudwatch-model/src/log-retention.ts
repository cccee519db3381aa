/**
 * The retention periods CloudWatch Logs accepts, in days: PutRetentionPolicy's retentionInDays
 * (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html).
 * Logs that never expire have no retention (DeleteRetentionPolicy; Terraform's 0), not 0 days.
 * No cdktf imports: the cost script checks its flag against the same list.
 */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

export type LogRetentionDays = (typeof LOG_RETENTION_DAYS)[number];
