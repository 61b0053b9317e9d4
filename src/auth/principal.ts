// Who is calling: the identity that SigV4 authentication yields for a request.

export type PrincipalType = 'Root' | 'IAMUser' | 'AssumedRole'

export interface Principal {
  accountId: string
  /** `arn:aws:iam::<acct>:root`, `…:user/<path><name>` or `…:assumed-role/<role>/<session>`. */
  arn: string
  type: PrincipalType
  /** AWS's unique id (`aws:userid`): the account id for root, `AIDA…` for users. */
  principalId: string
  accessKeyId: string
  userName?: string
  /** For AssumedRole: the role's ARN (aws:PrincipalArn) and the session name. */
  roleArn?: string
  sessionName?: string
}

/** Stored form of an access key. The secret is kept only wrapped under the root key. */
export interface AccessKeyRecord {
  accessKeyId: string
  accountId: string
  /** ARN of the owning principal (the account root or an IAM user). */
  principalArn: string
  /**
   * The owning user's unique id, bound when the key was issued: the key authenticates only that user, never
   * a later user of the same name. Absent for the account root.
   */
  principalId?: string
  wrappedSecret: Uint8Array
  status: 'Active' | 'Inactive'
  createdAt: Date
}

export interface AccountRecord {
  accountId: string
  createdAt: Date
}

export function rootArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:root`
}
