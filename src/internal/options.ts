/**
 * Argument checking for every API, in one place: an API declares its options as a schema of
 * rules and checks them with {@link parseOptions}; every refusal is an `ArgumentError` built
 * one way. This module gathers the parts, each in its file: what a rule is and how it refuses
 * a value (`rule.ts`), the rules for single values (`value-rules.ts`) and for lists
 * (`list-rules.ts`), and the schema check (`schema.ts`). Timeouts use `duration.ts`.
 */
export { argumentError, invalid, type Place, readArgument, type Rule, subjectOf } from './rule.ts';
export { type OptionsShape, parseOptions } from './schema.ts';
export { boolean, fn, integer, type IntegerRange, oneOf, optional, string } from './value-rules.ts';
export { listItems, type ListRule, MAX_TASKS, nonEmptyList } from './list-rules.ts';
