// The module that holds interleave/register's registry (see esm-bindings.ts): a `data:` URL,
// so that every copy of interleave in a process imports the one same module instance.
declare module 'data:text/javascript,export default{bindings:new WeakMap,active:false}//interleave-esm-registry-v2' {
  const registry: unknown;
  export default registry;
}
