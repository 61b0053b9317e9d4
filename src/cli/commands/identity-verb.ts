// `trent user …` and `trent role …` share one shape: create (with optional path and tags), delete, list.
import type { RoleRecord, UserRecord } from '../../auth/identities.js'
import { AdminError, createRole, createUser, putPrincipalTags } from '../../auth/principal-admin.js'
import type { Store } from '../../store/store.js'
import { accountOf, keyValues, optional, parseOptions, printJson, required, verbWithSubcommands } from '../admin-args.js'
import { withDataDir } from '../data-dir.js'

type Kind = 'user' | 'role'

function describe(record: UserRecord | RoleRecord): Record<string, string> {
  return 'userName' in record
    ? { UserName: record.userName, Path: record.path, UserId: record.userId, Arn: record.arn, CreatedAt: record.createdAt.toISOString() }
    : { RoleName: record.roleName, Path: record.path, RoleId: record.roleId, Arn: record.arn, CreatedAt: record.createdAt.toISOString() }
}

async function listOf(store: Store, kind: Kind, accountId: string): Promise<(UserRecord | RoleRecord)[]> {
  return kind === 'user' ? store.listUsers(accountId) : store.listRoles(accountId)
}

export function identityVerb(kind: Kind) {
  const usage = `usage:
  trent ${kind} create --data-dir D [--account A] --name N [--path /team/] [--tag k=v ...]
  trent ${kind} delete --data-dir D [--account A] --name N
  trent ${kind} list   --data-dir D [--account A]
`
  const create = kind === 'user' ? createUser : createRole
  return verbWithSubcommands(kind, `create, delete or list IAM ${kind}s`, usage, {
    async create(args, io) {
      const options = { account: { type: 'string' }, name: { type: 'string' }, path: { type: 'string' }, tag: { type: 'string', multiple: true } } as const
      const { values, dataDir } = parseOptions(args, options, io.env)
      const tags = Object.entries(keyValues(values.tag as string[] | undefined, '--tag')).map(([tagKey, tagValue]) => ({ tagKey, tagValue }))
      const record = await withDataDir(dataDir, io.env, async (dd) => {
        const made = await create(dd.store, await accountOf(values, dd.store), required(values, 'name'), optional(values, 'path') ?? '/', new Date())
        if (tags.length > 0) await putPrincipalTags(dd.store, made.arn, tags)
        return made
      })
      printJson(io, describe(record))
      return 0
    },
    async delete(args, io) {
      const { values, dataDir } = parseOptions(args, { account: { type: 'string' }, name: { type: 'string' } }, io.env)
      const name = required(values, 'name')
      await withDataDir(dataDir, io.env, async (dd) => {
        const accountId = await accountOf(values, dd.store)
        const deleted = kind === 'user' ? await dd.store.deleteUser(accountId, name) : await dd.store.deleteRole(accountId, name)
        if (!deleted) throw new AdminError(`${kind} ${name} does not exist in account ${accountId}`)
      })
      return 0
    },
    async list(args, io) {
      const { values, dataDir } = parseOptions(args, { account: { type: 'string' } }, io.env)
      const records = await withDataDir(dataDir, io.env, async (dd) => listOf(dd.store, kind, await accountOf(values, dd.store)))
      printJson(io, { [kind === 'user' ? 'Users' : 'Roles']: records.map(describe) })
      return 0
    },
  })
}
