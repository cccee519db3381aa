/**
 * Stands in for the AWS SDK's default credential chain (`@aws-sdk/credential-provider-node`) in the
 * bundle: bundling/lambda.ts aliases the chain to this module. Lambda hands a function its role's
 * credentials in environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
 * AWS_SESSION_TOKEN), the first source that chain tries; the rest of it (SSO, INI files, IMDS, web
 * identity, and the STS and SSO clients they carry) can never run there, yet it is a third of the
 * bundle. The local Lambda host sets the same variables.
 */
export { fromEnv as defaultProvider } from '@aws-sdk/credential-provider-env';
