// The `[--account A] (--user U | --role R)` options of the verbs that act on one IAM identity, and
// running a verb's work against the identity they name.
import type { RoleRecord, UserRecord } from '../../auth/identities.js'
import { findIdentity } from '../../auth/principal-admin.js'
import { accountOf, optional, type CliIo } from '../admin-args.js'
import { withDataDir, type OpenDataDir } from '../data-dir.js'

export const IDENTITY_OPTIONS = { account: { type: 'string' }, user: { type: 'string' }, role: { type: 'string' } } as const

/** Opens the data directory and runs `work` on the named user or role; throws AdminError when it does not exist. */
export async function withIdentity<T>(
  values: Record<string, unknown>, dataDir: string, io: CliIo, work: (dd: OpenDataDir, identity: UserRecord | RoleRecord) => Promise<T>,
): Promise<T> {
  return withDataDir(dataDir, io.env, async (dd) => {
    const identity = await findIdentity(dd.store, await accountOf(values, dd.store), { user: optional(values, 'user'), role: optional(values, 'role') })
    return work(dd, identity)
  })
}
