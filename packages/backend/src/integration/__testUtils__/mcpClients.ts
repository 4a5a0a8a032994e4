/*
 * MCP clients for integration tests: a real MCP client (@modelcontextprotocol/sdk over streamable
 * HTTP) against /api/mcp-actions/v1 of a test backend, signed in as a user. One place for the
 * connect, tool lookup and result reading that every MCP test needs.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { AddressInfo } from 'node:net';
import type { KratixTestBackend } from './testBackend';

/** What a tool call answered: its error flag, its text, and the text as JSON when it is JSON. */
export interface McpResult {
  isError: boolean;
  text: string;
  json: any;
}

export interface McpSession {
  tools: Awaited<ReturnType<Client['listTools']>>['tools'];
  /** Calls the tool whose name ends in `action` (the MCP plugin prefixes the plugin id). */
  call(action: string, args: Record<string, unknown>): Promise<McpResult>;
}

/** Opens sessions as users, and closes them all at the end. */
export class McpClients {
  private readonly clients: Client[] = [];

  constructor(private readonly backend: () => KratixTestBackend) {}

  async connect(user: string): Promise<McpSession> {
    const backend = this.backend();
    const { port } = backend.server.address() as AddressInfo;
    const client = new Client({
      name: 'kratix-test-assistant',
      version: '1.0.0',
    });
    await client.connect(
      new StreamableHTTPClientTransport(
        new URL(`http://127.0.0.1:${port}/api/mcp-actions/v1`),
        {
          requestInit: { headers: { Authorization: await backend.auth(user) } },
        },
      ),
    );
    this.clients.push(client);
    const { tools } = await client.listTools();
    const call = async (action: string, args: Record<string, unknown>) => {
      const tool = tools.find(t => t.name.endsWith(action));
      if (!tool) {
        throw new Error(`No tool ${action} in ${tools.map(t => t.name)}`);
      }
      const result = (await client.callTool({
        name: tool.name,
        arguments: args,
      })) as { isError?: boolean; content: Array<{ text?: string }> };
      const text = result.content.map(c => c.text ?? '').join('\n');
      return { isError: result.isError ?? false, text, json: parseJson(text) };
    };
    return { tools, call };
  }

  /** Calls one tool as `user` in a session of its own. */
  async call(
    user: string,
    action: string,
    args: Record<string, unknown>,
  ): Promise<McpResult> {
    return (await this.connect(user)).call(action, args);
  }

  closeAll(): Promise<unknown> {
    return Promise.all(this.clients.map(c => c.close()));
  }
}

function parseJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
