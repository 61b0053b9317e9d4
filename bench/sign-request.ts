// Real SigV4 signing for every bench request. Signing is client work, identical for Trent and the baseline,
// so its cost lowers both throughputs alike instead of being skipped for one of them.
import { SignatureV4 } from '@smithy/signature-v4'
import { NodeSha256 } from '../test/support/node-sha256.js'

export interface BenchCredentials {
  accessKeyId: string
  secretAccessKey: string
}

export interface SigningTarget {
  /** host:port, exactly as sent in the Host header (it is a signed header). */
  host: string
  region: string
  credentials: BenchCredentials
}

export type RequestSigner = (target: string, body: Uint8Array) => Promise<Record<string, string>>

/** Builds a signer producing the headers of an AWS JSON 1.1 KMS request, freshly dated and signed per call. */
export function createRequestSigner(to: SigningTarget): RequestSigner {
  // applyChecksum off: like the AWS SDK's KMS client, sign no x-amz-content-sha256, only host, content-type,
  // x-amz-date and x-amz-target.
  const signer = new SignatureV4({ service: 'kms', region: to.region, credentials: to.credentials, sha256: NodeSha256, applyChecksum: false })
  const [hostname = '', port = '80'] = to.host.split(':')
  return async (target, body) => {
    const signed = await signer.sign(
      {
        method: 'POST', protocol: 'http:', hostname, port: Number(port), path: '/', query: {},
        headers: { host: to.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
        body,
      },
      { signingDate: new Date() },
    )
    return signed.headers as Record<string, string>
  }
}
