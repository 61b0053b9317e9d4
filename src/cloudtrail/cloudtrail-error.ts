// CloudTrail's own exceptions, sent with the same JSON error body as KMS's (`__type` and `message`).

export type CloudTrailExceptionName =
  | 'InvalidLookupAttributesException'
  | 'InvalidTimeRangeException'
  | 'InvalidNextTokenException'
  | 'InvalidMaxResultsException'
  | 'InvalidEventCategoryException'
  | 'UnsupportedOperationException'
  | 'ThrottlingException'

export class CloudTrailError extends Error {
  override readonly name: CloudTrailExceptionName
  constructor(name: CloudTrailExceptionName, message: string) {
    super(message)
    this.name = name
  }
}
