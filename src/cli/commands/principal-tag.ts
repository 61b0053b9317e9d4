// `trent principal-tag set|remove|list`: tags on users and roles, which policies read as aws:PrincipalTag/<key>.
import { putPrincipalTags } from '../../auth/principal-admin.js'
import { keyValues, parseOptions, printJson, UsageError, verbWithSubcommands } from '../admin-args.js'
import { IDENTITY_OPTIONS, withIdentity } from './identity-target.js'

const USAGE = `usage:
  trent principal-tag set    --data-dir D [--account A] (--user U | --role R) key=value ...
  trent principal-tag remove --data-dir D [--account A] (--user U | --role R) key ...
  trent principal-tag list   --data-dir D [--account A] (--user U | --role R)
`

export const principalTagCommand = verbWithSubcommands('principal-tag', 'set, remove or list tags on users and roles', USAGE, {
  async set(args, io) {
    const { values, positionals, dataDir } = parseOptions(args, IDENTITY_OPTIONS, io.env)
    const tags = Object.entries(keyValues(positionals, 'tags')).map(([tagKey, tagValue]) => ({ tagKey, tagValue }))
    if (tags.length === 0) throw new UsageError('give at least one key=value tag')
    await withIdentity(values, dataDir, io, (dd, identity) => putPrincipalTags(dd.store, identity.arn, tags))
    return 0
  },
  async remove(args, io) {
    const { values, positionals, dataDir } = parseOptions(args, IDENTITY_OPTIONS, io.env)
    if (positionals.length === 0) throw new UsageError('give at least one tag key')
    await withIdentity(values, dataDir, io, (dd, identity) => dd.store.deletePrincipalTags(identity.arn, positionals))
    return 0
  },
  async list(args, io) {
    const { values, dataDir } = parseOptions(args, IDENTITY_OPTIONS, io.env)
    const tags = await withIdentity(values, dataDir, io, (dd, identity) => dd.store.listPrincipalTags(identity.arn))
    printJson(io, { Tags: tags.map((t) => ({ Key: t.tagKey, Value: t.tagValue })) })
    return 0
  },
})
