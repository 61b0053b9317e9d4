// `trent account create|delete|list`: the 12-digit accounts principals live in.
import { createAccount } from '../../auth/principal-admin.js'
import { AdminError } from '../../auth/principal-admin.js'
import { StoreConflictError } from '../../store/store.js'
import { optional, parseOptions, printJson, required, requireAccountId, verbWithSubcommands } from '../admin-args.js'
import { withDataDir } from '../data-dir.js'

const USAGE = `usage:
  trent account create --data-dir D [--account-id 123456789012]
  trent account delete --data-dir D --account-id 123456789012
  trent account list   --data-dir D
`

export const accountCommand = verbWithSubcommands('account', 'create, delete or list accounts', USAGE, {
  async create(args, io) {
    const { values, dataDir } = parseOptions(args, { 'account-id': { type: 'string' } }, io.env)
    const given = optional(values, 'account-id')
    const account = await withDataDir(dataDir, io.env, (dd) => createAccount(dd.store, given && requireAccountId(given), new Date()))
    printJson(io, { AccountId: account.accountId, RootArn: `arn:aws:iam::${account.accountId}:root` })
    return 0
  },
  async delete(args, io) {
    const { values, dataDir } = parseOptions(args, { 'account-id': { type: 'string' } }, io.env)
    const accountId = requireAccountId(required(values, 'account-id'))
    const deleted = await withDataDir(dataDir, io.env, async (dd) => {
      try {
        return await dd.store.deleteAccount(accountId)
      } catch (e) {
        if (e instanceof StoreConflictError) throw new AdminError(`account ${accountId} still owns keys; delete them first`)
        throw e
      }
    })
    if (!deleted) throw new AdminError(`account ${accountId} does not exist`)
    return 0
  },
  async list(args, io) {
    const { dataDir } = parseOptions(args, {}, io.env)
    const accounts = await withDataDir(dataDir, io.env, (dd) => dd.store.listAccounts())
    printJson(io, { Accounts: accounts.map((a) => ({ AccountId: a.accountId, CreatedAt: a.createdAt.toISOString() })) })
    return 0
  },
})
