// `trent k8s-kms-plugin`: a Kubernetes KMS v2 plugin (gRPC on a unix socket) that wraps kube-apiserver's DEKs
// with a Trent key through the public API. Runs until SIGTERM or SIGINT.
import { KMS } from '@aws-sdk/client-kms'
import type { CliCommand } from '../command.js'
import { keyValues, UsageError } from '../admin-args.js'
import { kmsEndpoint } from '../../integrations/envelope/kms-connection.js'
import { startKmsV2Plugin } from '../../integrations/k8s/plugin-server.js'
import { parseArgs } from 'node:util'
import { positiveInteger } from '../envelope/envelope-run.js'

const usage = `usage: trent k8s-kms-plugin --socket PATH --key-id K [--context k=v …] [--key-id-max-age SECONDS]
  [--endpoint-url URL] [--region R]
Serves v2.KeyManagementService on the unix socket PATH (mode 0600) for kube-apiserver's KMS v2 provider. K is a
symmetric Trent key (id, ARN or alias); key_id is its ARN and current key material id, so it changes on rotation.
Credentials and region come from the AWS environment; the endpoint from --endpoint-url, AWS_ENDPOINT_URL_KMS or AWS_ENDPOINT_URL.
`

const options = {
  socket: { type: 'string' },
  'key-id': { type: 'string' },
  context: { type: 'string', multiple: true },
  'key-id-max-age': { type: 'string' },
  'endpoint-url': { type: 'string' },
  region: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

async function run(args: string[]): Promise<number> {
  let values, maxAgeSeconds, context
  try {
    values = parseArgs({ args, options, strict: true, allowPositionals: false }).values
    if (!values.help && !values.socket) throw new UsageError('--socket PATH is required')
    if (!values.help && !values['key-id']) throw new UsageError('--key-id is required')
    maxAgeSeconds = positiveInteger(values, 'key-id-max-age')
    context = { ...keyValues(values.context, '--context') }
  } catch (e) {
    process.stderr.write(`trent k8s-kms-plugin: ${(e as Error).message}\n${usage}`)
    return 2
  }
  if (values.help || !values.socket || !values['key-id']) {
    process.stderr.write(usage)
    return 0
  }
  const endpoint = kmsEndpoint(values['endpoint-url'], process.env)
  const kms = new KMS({ ...(endpoint ? { endpoint } : {}), ...(values.region ? { region: values.region } : {}) })
  const plugin = await startKmsV2Plugin(values.socket, {
    kms, keyId: values['key-id'], context,
    keyIdMaxAgeMs: maxAgeSeconds === undefined ? undefined : maxAgeSeconds * 1000,
    onError: (what, e) => process.stderr.write(`${JSON.stringify({ level: 'error', call: what, error: (e as { name?: string }).name ?? 'Error', message: e instanceof Error ? e.message.split('\n')[0] : String(e) })}\n`),
  })
  process.stderr.write(`${JSON.stringify({ level: 'info', msg: 'trent k8s-kms-plugin listening', socket: plugin.socketPath, keyId: values['key-id'] })}\n`)
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve)
    process.once('SIGINT', resolve)
  })
  await plugin.stop()
  kms.destroy()
  return 0
}

export const k8sKmsPluginCommand: CliCommand = {
  name: 'k8s-kms-plugin',
  summary: 'serve the Kubernetes KMS v2 plugin API on a unix socket, wrapping DEKs with a Trent key',
  run,
}
