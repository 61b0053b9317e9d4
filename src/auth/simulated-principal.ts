// The principal an ARN stands for, as a request signed by it would authenticate, for offline policy
// simulation. A role ARN stands for a session of that role.
import type { Store } from '../store/store.js'
import { parseIamArn, sessionArn } from './identities.js'
import { AdminError } from './principal-admin.js'
import type { Principal } from './principal.js'

const SIMULATED_KEY_ID = 'SIMULATED'

/** Throws AdminError when the ARN is not a principal ARN or names no existing principal. */
export async function simulatedPrincipal(store: Store, arn: string): Promise<Principal> {
  const parsed = parseIamArn(arn)
  if (!parsed) throw new AdminError(`not a principal ARN: ${arn}`)
  if (!(await store.getAccount(parsed.accountId))) throw new AdminError(`account ${parsed.accountId} does not exist`)
  const base = { accountId: parsed.accountId, accessKeyId: SIMULATED_KEY_ID }
  if (parsed.kind === 'root') return { ...base, arn, type: 'Root', principalId: parsed.accountId }
  if (parsed.kind === 'user') {
    const user = await store.getUser(parsed.accountId, parsed.name)
    if (!user || user.arn !== arn) throw new AdminError(`user ${arn} does not exist`)
    return { ...base, arn, type: 'IAMUser', principalId: user.userId, userName: user.userName }
  }
  const roleName = parsed.kind === 'session' ? parsed.roleName : parsed.name
  const role = await store.getRole(parsed.accountId, roleName)
  if (!role || (parsed.kind === 'role' && role.arn !== arn)) throw new AdminError(`role ${roleName} does not exist in account ${parsed.accountId}`)
  const sessionName = parsed.kind === 'session' ? parsed.sessionName : 'simulated-session'
  return {
    ...base, arn: sessionArn(parsed.accountId, role.roleName, sessionName), type: 'AssumedRole',
    principalId: `${role.roleId}:${sessionName}`, roleArn: role.arn, sessionName,
  }
}
