// `trent user create|delete|list`: IAM users (arn:aws:iam::<acct>:user/<path><name>).
import { identityVerb } from './identity-verb.js'

export const userCommand = identityVerb('user')
