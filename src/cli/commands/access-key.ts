// `trent access-key create|deactivate|activate|delete|list`: long-term credentials of the account root or
// of a user, at most two each. The secret is printed once, at creation, and never again.
import { rootArn } from '../../auth/principal.js'
import { AdminError, findIdentity, issueAccessKey } from '../../auth/principal-admin.js'
import type { OpenDataDir } from '../data-dir.js'
import { withDataDir } from '../data-dir.js'
import { accountOf, optional, parseOptions, printJson, required, verbWithSubcommands, type CliIo } from '../admin-args.js'

const USAGE = `usage:
  trent access-key create     --data-dir D [--account A] [--user U]     (no --user: the account root)
  trent access-key deactivate --data-dir D --access-key-id AKIA...
  trent access-key activate   --data-dir D --access-key-id AKIA...
  trent access-key delete     --data-dir D --access-key-id AKIA...
  trent access-key list       --data-dir D [--account A] [--user U]
`

async function ownerArn(dd: OpenDataDir, accountId: string, user: string | undefined): Promise<string> {
  return user === undefined ? rootArn(accountId) : (await findIdentity(dd.store, accountId, { user })).arn
}

function setStatus(status: 'Active' | 'Inactive') {
  return async (args: string[], io: CliIo): Promise<number> => {
    const { values, dataDir } = parseOptions(args, { 'access-key-id': { type: 'string' } }, io.env)
    const id = required(values, 'access-key-id')
    const changed = await withDataDir(dataDir, io.env, (dd) => dd.store.setAccessKeyStatus(id, status))
    if (!changed) throw new AdminError(`access key ${id} does not exist`)
    return 0
  }
}

export const accessKeyCommand = verbWithSubcommands('access-key', 'create, deactivate, delete or list access keys', USAGE, {
  async create(args, io) {
    const { values, dataDir } = parseOptions(args, { account: { type: 'string' }, user: { type: 'string' } }, io.env)
    const created = await withDataDir(dataDir, io.env, async (dd) => {
      const accountId = await accountOf(values, dd.store)
      const owner = await ownerArn(dd, accountId, optional(values, 'user'))
      return { owner, ...(await issueAccessKey(dd.store, dd.rootKey, accountId, owner, new Date())) }
    })
    // Printed once: only the wrapped secret is stored.
    printJson(io, { AccessKeyId: created.accessKeyId, SecretAccessKey: created.secretAccessKey, PrincipalArn: created.owner, Status: 'Active' })
    return 0
  },
  deactivate: setStatus('Inactive'),
  activate: setStatus('Active'),
  async delete(args, io) {
    const { values, dataDir } = parseOptions(args, { 'access-key-id': { type: 'string' } }, io.env)
    const id = required(values, 'access-key-id')
    if (!(await withDataDir(dataDir, io.env, (dd) => dd.store.deleteAccessKey(id)))) throw new AdminError(`access key ${id} does not exist`)
    return 0
  },
  async list(args, io) {
    const { values, dataDir } = parseOptions(args, { account: { type: 'string' }, user: { type: 'string' } }, io.env)
    const keys = await withDataDir(dataDir, io.env, async (dd) => {
      const accountId = await accountOf(values, dd.store)
      const user = optional(values, 'user')
      return dd.store.listAccessKeys(accountId, user === undefined ? undefined : await ownerArn(dd, accountId, user))
    })
    printJson(io, { AccessKeys: keys.map((k) => ({ AccessKeyId: k.accessKeyId, PrincipalArn: k.principalArn, Status: k.status, CreatedAt: k.createdAt.toISOString() })) })
    return 0
  },
})
