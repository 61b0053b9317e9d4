// `trent role create|delete|list`: IAM roles (arn:aws:iam::<acct>:role/<path><name>), used through sessions.
import { identityVerb } from './identity-verb.js'

export const roleCommand = identityVerb('role')
