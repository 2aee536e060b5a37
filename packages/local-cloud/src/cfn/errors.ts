/** A template the local cloud cannot deploy as written (bad intrinsic, unknown reference, ...). */
export class TemplateError extends Error {
  override name = 'TemplateError';
}

/** A stack operation failed; `message` names the stack and, where known, the resource. */
export class StackError extends Error {
  override name = 'StackError';
}
