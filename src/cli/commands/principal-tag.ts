// `trent principal-tag set|remove|list`: tags on users and roles, which policies read as aws:PrincipalTag/<key>.
import { findIdentity } from '../../auth/principal-admin.js'
import { accountOf, keyValues, optional, parseOptions, printJson, UsageError, verbWithSubcommands } from '../admin-args.js'
import { withDataDir } from '../data-dir.js'

const USAGE = `usage:
  trent principal-tag set    --data-dir D [--account A] (--user U | --role R) key=value ...
  trent principal-tag remove --data-dir D [--account A] (--user U | --role R) key ...
  trent principal-tag list   --data-dir D [--account A] (--user U | --role R)
`

const TARGET = { account: { type: 'string' }, user: { type: 'string' }, role: { type: 'string' } } as const
const target = (values: Record<string, unknown>) => ({ user: optional(values, 'user'), role: optional(values, 'role') })

export const principalTagCommand = verbWithSubcommands('principal-tag', 'set, remove or list tags on users and roles', USAGE, {
  async set(args, io) {
    const { values, positionals, dataDir } = parseOptions(args, TARGET, io.env)
    const tags = Object.entries(keyValues(positionals, 'tags')).map(([tagKey, tagValue]) => ({ tagKey, tagValue }))
    if (tags.length === 0) throw new UsageError('give at least one key=value tag')
    await withDataDir(dataDir, io.env, async (dd) => {
      const identity = await findIdentity(dd.store, await accountOf(values, dd.store), target(values))
      await dd.store.putPrincipalTags(identity.arn, tags)
    })
    return 0
  },
  async remove(args, io) {
    const { values, positionals, dataDir } = parseOptions(args, TARGET, io.env)
    if (positionals.length === 0) throw new UsageError('give at least one tag key')
    await withDataDir(dataDir, io.env, async (dd) => {
      const identity = await findIdentity(dd.store, await accountOf(values, dd.store), target(values))
      await dd.store.deletePrincipalTags(identity.arn, positionals)
    })
    return 0
  },
  async list(args, io) {
    const { values, dataDir } = parseOptions(args, TARGET, io.env)
    const tags = await withDataDir(dataDir, io.env, async (dd) => {
      const identity = await findIdentity(dd.store, await accountOf(values, dd.store), target(values))
      return dd.store.listPrincipalTags(identity.arn)
    })
    printJson(io, { Tags: tags.map((t) => ({ Key: t.tagKey, Value: t.tagValue })) })
    return 0
  },
})
