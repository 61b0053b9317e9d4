// `trent encrypt`: envelope-encrypts a file or stdin into an AWS Encryption SDK message, with data keys from
// KMS (Trent) through the public API, like any other client. No store access.
import type { CliCommand } from '../command.js'
import { keyValues, UsageError } from '../admin-args.js'
import { DEFAULT_ALGORITHM_SUITE, algorithmSuites } from '../../integrations/envelope/algorithm-suites.js'
import type { DataKeyCacheOptions } from '../../integrations/envelope/envelope.js'
import { envelopeFor, parseVerbArgs, positiveInteger, processStdio, runThrough, runVerb, type CliStdio } from '../envelope/envelope-run.js'

const usage = `usage: trent encrypt --key-id K [--key-id K2 …] [--context k=v …] --in FILE|- --out FILE|-
       trent encrypt … --in FILE --in FILE2 … --out DIR      (writes DIR/<name>.encrypted for each)
  [--algorithm ${Object.keys(algorithmSuites).join('|')}] [--frame-length BYTES]
  [--cache-max-age SECONDS [--cache-max-messages N] [--cache-max-bytes N]]
  [--endpoint-url URL] [--region R] [--no-progress]
The first --key-id generates the data key; every one wraps it (any of them can decrypt). The cache lets one data key
serve several inputs (files of known size only) within the age, message and byte limits. Credentials and region
come from the AWS environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION, AWS_PROFILE);
the endpoint from --endpoint-url, AWS_ENDPOINT_URL_KMS or AWS_ENDPOINT_URL. Default algorithm: ${DEFAULT_ALGORITHM_SUITE}.
`

const options = {
  'key-id': { type: 'string', multiple: true },
  context: { type: 'string', multiple: true },
  algorithm: { type: 'string' },
  'frame-length': { type: 'string' },
  'cache-max-age': { type: 'string' },
  'cache-max-messages': { type: 'string' },
  'cache-max-bytes': { type: 'string' },
} as const

/** --cache-* as cache options; none unless --cache-max-age is given (an age bound is what makes caching safe). */
function cacheOptions(values: Record<string, unknown>): DataKeyCacheOptions | undefined {
  const maxAgeSeconds = positiveInteger(values, 'cache-max-age')
  const maxMessages = positiveInteger(values, 'cache-max-messages')
  const maxBytes = positiveInteger(values, 'cache-max-bytes')
  if (maxAgeSeconds === undefined) {
    if (maxMessages !== undefined || maxBytes !== undefined) throw new UsageError('--cache-max-messages and --cache-max-bytes need --cache-max-age')
    return undefined
  }
  return { maxAgeMs: maxAgeSeconds * 1000, maxMessages, maxBytes }
}

export async function runEncrypt(args: string[], io: CliStdio): Promise<number> {
  return runVerb('encrypt', usage, io, async () => {
    const values = parseVerbArgs(args, options)
    if (values.help === true) return void io.stderr.write(usage)
    const keyIds = (values['key-id'] as string[] | undefined) ?? []
    if (keyIds.length === 0) throw new UsageError('--key-id is required')
    const context = keyValues(values.context as string[] | undefined, '--context')
    const algorithm = typeof values.algorithm === 'string' ? values.algorithm : undefined
    if (algorithm !== undefined && !Object.hasOwn(algorithmSuites, algorithm)) throw new UsageError(`unknown --algorithm ${algorithm}`)
    const frameLength = positiveInteger(values, 'frame-length')
    const envelope = envelopeFor(values, { cache: cacheOptions(values) })
    await runThrough(io, values, 'encrypting', (name) => `${name}.encrypted`, (plaintextLength) =>
      envelope.encryptStream({ keyId: keyIds, context: { ...context }, algorithm, frameLength, plaintextLength }))
  })
}

export const encryptCommand: CliCommand = {
  name: 'encrypt',
  summary: 'envelope-encrypt a file or stdin (AWS Encryption SDK format) with KMS keys',
  run: (args) => runEncrypt(args, processStdio()),
}
