import { APP_NAME } from './naming';
import { physicalName } from '@monitored/cdktf-monitoring';

/**
 * The deploy role of a stage, `msgs-deploy-dev`: outside the stage's own `msgs-dev-` prefix, so
 * that the role's grants on the stage's roles never reach the deploy role itself.
 */
export function deployRoleName(stage: string): string {
  return physicalName(APP_NAME, `deploy-${stage}`, 'iamRole');
}

/**
 * The permissions boundary every role of a stage carries, `msgs-boundary-dev`: the most any role
 * the stage's deploy role creates may ever do. The bootstrap stack owns it, out of the deploy
 * role's reach, so that a deploy role cannot widen what the roles it creates may do.
 */
export function permissionsBoundaryName(stage: string): string {
  return physicalName(APP_NAME, `boundary-${stage}`, 'iamPolicy');
}
