// The only list of `trent` CLI verbs.
import type { CliCommand } from './command.js'
import { accessKeyCommand } from './commands/access-key.js'
import { accountCommand } from './commands/account.js'
import { backupCommand } from './commands/backup.js'
import { restoreCommand } from './commands/restore.js'
import { auditCommand } from './commands/audit-commands.js'
import { decryptCommand } from './commands/decrypt.js'
import { encryptCommand } from './commands/encrypt.js'
import { k8sKmsPluginCommand } from './commands/k8s-kms-plugin.js'
import { identityPolicyCommand } from './commands/identity-policy.js'
import { peerCommand } from './commands/peer.js'
import { policyCommand } from './commands/policy.js'
import { principalTagCommand } from './commands/principal-tag.js'
import { roleCommand } from './commands/role.js'
import { roleSessionCommand } from './commands/role-session.js'
import { tlsCommand } from './commands/tls.js'
import { seedCommand } from './commands/seed.js'
import { rootkeyCommand } from './commands/rootkey.js'
import { userCommand } from './commands/user.js'

const all: CliCommand[] = [
  accessKeyCommand, accountCommand, identityPolicyCommand, policyCommand, principalTagCommand, roleCommand, roleSessionCommand, userCommand,
  auditCommand, tlsCommand, rootkeyCommand, backupCommand, restoreCommand,
  encryptCommand, decryptCommand, k8sKmsPluginCommand, seedCommand, peerCommand,
]

export const commands: ReadonlyMap<string, CliCommand> = new Map(all.map((c) => [c.name, c]))
