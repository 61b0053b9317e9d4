// What every service on the port answers for an error it did not expect: logged with its stack (never sent),
// and a generic internal error for the caller.
import { KmsError } from '../wire/kms-error.js'
import { protocolErrors } from '../wire/messages.js'
import type { RawRequest } from './dispatch.js'
import type { Services } from './services.js'

export function unexpectedError(services: Pick<Services, 'logger'>, req: Pick<RawRequest, 'requestId'>, e: unknown): KmsError {
  services.logger.error({ requestId: req.requestId, err: e instanceof Error ? e.stack : String(e) }, 'unexpected error')
  return protocolErrors.internal()
}
