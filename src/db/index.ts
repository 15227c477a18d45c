/**
 * interleave/db: recognise the transient failures that races cause in databases.
 *
 * @packageDocumentation
 * @module interleave/db
 */
export {
  classifyDbError,
  type DbErrorKind,
  isDeadlock,
  isLockTimeout,
  isRetryable,
  isSerializationFailure,
} from './classify.ts';
