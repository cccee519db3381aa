import { buildArtifacts } from './bundling/artifacts';
import { buildApp, settingsFromEnvironment, type AppSettings } from './stacks/app';
import { ConfigError } from './stacks/config';

// The only place that reads the environment: everything else receives typed settings. A setting
// that cannot be used ends the synth with one line naming it, not a stack trace.
let settings: AppSettings;
try {
  settings = settingsFromEnvironment(process.env);
} catch (error: unknown) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
// The artifacts first: building a stack never builds a bundle.
buildApp(settings, buildArtifacts(), { projectDirectory: __dirname }).synth();
