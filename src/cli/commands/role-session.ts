// `trent role-session create`: temporary credentials for a role (what sts:AssumeRole would return),
// printed once: access key id, secret, session token and expiry.
import { findIdentity } from '../../auth/principal-admin.js'
import type { RoleRecord } from '../../auth/identities.js'
import { DEFAULT_SESSION_SECONDS, createRoleSession } from '../../auth/role-session.js'
import { accountOf, optional, parseOptions, printJson, required, UsageError, verbWithSubcommands } from '../admin-args.js'
import { withDataDir } from '../data-dir.js'

const USAGE = `usage:
  trent role-session create --data-dir D [--account A] --role R --session-name S [--duration-seconds 3600]
`

export const roleSessionCommand = verbWithSubcommands('role-session', 'mint temporary credentials for a role', USAGE, {
  async create(args, io) {
    const options = { account: { type: 'string' }, role: { type: 'string' }, 'session-name': { type: 'string' }, 'duration-seconds': { type: 'string' } } as const
    const { values, dataDir } = parseOptions(args, options, io.env)
    const duration = Number(optional(values, 'duration-seconds') ?? DEFAULT_SESSION_SECONDS)
    if (!Number.isInteger(duration)) throw new UsageError('--duration-seconds must be a whole number')
    const role = required(values, 'role')
    const sessionName = required(values, 'session-name')
    const session = await withDataDir(dataDir, io.env, async (dd) => {
      const record = await findIdentity(dd.store, await accountOf(values, dd.store), { role }) as RoleRecord
      return createRoleSession(dd.store, dd.rootKey, record, sessionName, duration, new Date())
    })
    printJson(io, {
      Credentials: { AccessKeyId: session.accessKeyId, SecretAccessKey: session.secretAccessKey, SessionToken: session.sessionToken, Expiration: session.expiration.toISOString() },
      AssumedRoleUser: { Arn: session.arn },
    })
    return 0
  },
})
