/** The messages between launch.ts (the process that wants a server) and supervisor.ts. */

export interface StartRequest {
  readonly type: 'start';
  /** Extra `postgres` command-line flags, e.g. `['-c', 'deadlock_timeout=50ms']`. */
  readonly postgresFlags: readonly string[];
}

export type ToSupervisor = StartRequest | { readonly type: 'stop' };

export interface Ready {
  readonly type: 'ready';
  readonly url: string;
  readonly dir: string;
  /** The postmaster's pid. */
  readonly pid: number;
  /** Who the server runs as, e.g. `nobody` when the tests run as root. */
  readonly account: string;
  /** Folders of killed earlier runs that were removed on the way. */
  readonly swept: readonly string[];
}

export type FromSupervisor =
  | { readonly type: 'progress'; readonly step: 'initdb' | 'postgres'; readonly dir: string }
  | Ready
  | { readonly type: 'failed'; readonly message: string; readonly log: readonly string[] }
  | { readonly type: 'stopped'; readonly problems: readonly string[] };
