// A minimal signed KMS client for scenario setup (creating keys, preparing ciphertexts) before measuring.
import { Agent } from 'node:http'
import { errorTypeOf, sendPost } from './http-send.js'
import { createRequestSigner, type BenchCredentials } from './sign-request.js'

export interface KmsApi {
  /** Calls `TrentService.<operation>` with a JSON input; resolves the parsed reply. Throws on any non-200. */
  call(operation: string, input: unknown): Promise<Record<string, unknown>>
  close(): void
}

export function createKmsApi(url: URL, region: string, credentials: BenchCredentials): KmsApi {
  const agent = new Agent({ keepAlive: true, maxSockets: 4 })
  const sign = createRequestSigner({ host: url.host, region, credentials })
  return {
    async call(operation, input) {
      const body = Buffer.from(JSON.stringify(input))
      const target = `TrentService.${operation}`
      const reply = await sendPost(url, agent, await sign(target, body), body)
      if (reply.status !== 200) throw new Error(`setup call ${operation} failed: ${errorTypeOf(reply)}`)
      return JSON.parse(reply.body.toString('utf8')) as Record<string, unknown>
    },
    close: () => agent.destroy(),
  }
}
