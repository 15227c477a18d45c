/**
 * agentkeepalive #23 as a user writes it: one client makes two requests in a row through a
 * keep-alive agent, against a real HTTP server on loopback. Shared by the test and the bench.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { type ExploreSpec, type StrategyName, yieldAt } from 'interleave';

/** An agent of either release: Node's `http.Agent`, with the method Node calls per request. */
export type KeepAliveAgent = http.Agent & {
  addRequest(request: http.ClientRequest, options: object): void;
};
export type AgentClass = new (options: { keepAliveTimeout: number }) => KeepAliveAgent;

const require = createRequire(import.meta.url);
/** The buggy release and the fixed one, from npm (aliases in devDependencies). */
export const buggy = require('agentkeepalive-2.0.0') as AgentClass;
export const fixed = require('agentkeepalive-2.0.2') as AgentClass;

/** A real server on loopback that answers every request at once; `close()` ends it. */
export async function startServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

// #region spec
/** Two requests in a row through an agent that keeps idle sockets for 15 s. */
export function keepAliveSpec(
  Agent: AgentClass,
  port: number,
  strategy?: StrategyName,
): ExploreSpec<KeepAliveAgent> {
  const get = (agent: KeepAliveAgent) =>
    new Promise<string>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, agent }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve(body));
        })
        .on('error', reject);
    });
  return {
    ...(strategy === undefined ? {} : { strategy }),
    setup: () => new Agent({ keepAliveTimeout: 15_000 }),
    // Each request's hand-over to the agent is a point: the agent's idle timer (a socket
    // timeout, on explore's virtual clock) may fire before or after it.
    points: (agent) => {
      yieldAt(agent, 'addRequest', { defer: true });
    },
    tasks: [
      async (agent) => {
        await get(agent);
        return get(agent);
      },
    ],
    teardown: (agent) => {
      agent.destroy();
    },
  };
}
// #endregion
