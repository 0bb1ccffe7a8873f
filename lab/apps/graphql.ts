/**
 * A real graphql-ws server (graphql-ws/use/ws on a `ws` server, graphql@16 schema) for the
 * graphql-ws-auth scenario. onConnect returning false makes graphql-ws close with 4403
 * "Forbidden" (CloseCode.Forbidden in its PROTOCOL.md, "ConnectionInit"): the page's first
 * client sends no token and gets that; the second sends one, subscribes, receives a few
 * `next` messages and a `complete`.
 */
import http from 'node:http';
import { createRequire } from 'node:module';
import { WebSocketServer } from 'ws';
import { listenTracked, type AppServer } from './common.ts';

export const GRAPHQL_TOKEN = 'lab-token';

export async function startGraphql(): Promise<AppServer> {
  const { useServer } = await import('graphql-ws/use/ws');
  // graphql through require, i.e. its CommonJS build: the one graphql-ws's own `import 'graphql'`
  // gets in Node. A bundler-style resolver (vitest's) would hand an import here the .mjs build,
  // and graphql refuses a schema "from another module or realm".
  const graphql = createRequire(import.meta.url)('graphql') as typeof import('graphql');
  const { GraphQLInt, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString } = graphql;
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({
      name: 'Query',
      fields: { hello: { type: GraphQLString, resolve: () => 'world' } },
    }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        countdown: {
          type: GraphQLInt,
          args: { from: { type: new GraphQLNonNull(GraphQLInt) } },
          subscribe: async function* (_root: unknown, args: { from: number }) {
            for (let i = Math.min(args.from, 20); i >= 0; i--) {
              await new Promise((resolve) => setTimeout(resolve, 150));
              yield { countdown: i };
            }
          },
        },
      },
    }),
  });
  const httpServer = http.createServer();
  const wss = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const cleanup = useServer(
    {
      schema,
      onConnect: (ctx) => (ctx.connectionParams as { token?: unknown } | undefined)?.token === GRAPHQL_TOKEN,
    },
    wss,
  );
  const listening = await listenTracked(httpServer);
  return {
    port: listening.port,
    path: '/graphql',
    async close() {
      for (const ws of wss.clients) ws.terminate();
      await Promise.all([cleanup.dispose(), listening.close()]);
    },
  };
}
